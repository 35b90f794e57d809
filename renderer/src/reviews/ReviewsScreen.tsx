import type { Stores } from '../app/stores.ts';

// Placeholder until this screen is built.
export function ReviewsScreen(_: { stores: Stores }) {
  return <h1>ReviewsScreen</h1>;
}
