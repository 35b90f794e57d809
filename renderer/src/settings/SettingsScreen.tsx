import type { Stores } from '../app/stores.ts';

// Placeholder until this screen is built.
export function SettingsScreen(_: { stores: Stores }) {
  return <h1>SettingsScreen</h1>;
}
