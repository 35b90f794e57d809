import type { Stores } from '../app/stores.ts';

// Placeholder until this screen is built.
export function CronScreen(_: { stores: Stores }) {
  return <h1>CronScreen</h1>;
}
