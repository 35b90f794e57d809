import type { Stores } from '../app/stores.ts';

// Placeholder until this screen is built.
export function AlertsScreen(_: { stores: Stores }) {
  return <h1>AlertsScreen</h1>;
}
