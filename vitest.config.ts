import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'shared/**/*.test.ts',
      'main/**/*.test.ts',
      'preload/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
      'server-functions/**/*.test.ts',
      'e2e/**/*.test.ts',
    ],
    globalSetup: ['server-functions/test/global-setup.ts'],
    pool: 'forks',
    // supabase-js needs a global WebSocket, which Node 20 has only behind this flag.
    execArgv: ['--experimental-websocket'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
