import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * main.ts imports the UI (React, Fluent UI) dynamically, so that the Teams handshake starts before
 * the big chunk is parsed; this hint makes the browser download that chunk with the page, in
 * parallel with main, instead of after main has run.
 */
function preloadUiChunk(): Plugin {
  return {
    name: 'preload-ui-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunk = Object.values(context.bundle ?? {}).find((c) => c.type === 'chunk' && c.name === 'render-app');
        return chunk ? [{ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/tab/${chunk.fileName}` }, injectTo: 'head' }] : [];
      },
    },
  };
}

/** The bot serves tab/dist at /tab/ (docs/tab-api.md). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tab/',
  plugins: [react(), preloadUiChunk()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No source maps shipped: the bundle size is a DESIGN target (150 KB gzip).
    sourcemap: false,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 800,
    // One stylesheet, linked from index.html: split per chunk, the UI chunk's CSS was fetched only when
    // main.ts imported the chunk, and Vite's preload waits for it (one more round trip before the list).
    cssCodeSplit: false,
  },
});
