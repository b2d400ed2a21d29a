import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** The bot serves tab/dist at /tab/ (docs/tab-api.md). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tab/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // One entry, no source maps shipped: the bundle size is a DESIGN target (250 KB gzip).
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 800,
  },
});
