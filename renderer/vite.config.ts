// The renderer's build, shared by electron-vite (the window) and the browser
// bridge (`npm run console`, the UI tests).
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: resolve(import.meta.dirname),
  base: './',
  plugins: [react()],
  build: { outDir: resolve(import.meta.dirname, '../out/renderer'), emptyOutDir: true, rollupOptions: { input: resolve(import.meta.dirname, 'index.html') } },
});
