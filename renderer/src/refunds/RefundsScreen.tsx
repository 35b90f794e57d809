import type { Stores } from '../app/stores.ts';

// Placeholder until this screen is built.
export function RefundsScreen(_: { stores: Stores }) {
  return <h1>RefundsScreen</h1>;
}
