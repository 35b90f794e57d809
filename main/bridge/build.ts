// Builds the renderer alone (what the browser bridge serves), with the same
// Vite config electron-vite uses for the window.
import { resolve } from 'node:path';

export const RENDERER_DIR = resolve(import.meta.dirname, '../../out/renderer');

export async function buildRenderer(): Promise<void> {
  const { build } = await import('vite');
  await build({ configFile: resolve(import.meta.dirname, '../../renderer/vite.config.ts'), logLevel: 'warn' });
}
