import type { Stores } from '../app/stores.ts';

// Placeholder until this screen is built.
export function SyncScreen(_: { stores: Stores }) {
  return <h1>SyncScreen</h1>;
}
