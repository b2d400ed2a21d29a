import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from '@fluentui/react-theme';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * main.ts imports the UI (Preact and the list) dynamically, so that the Teams handshake starts before
 * the big chunk is parsed; these hints make the browser download that chunk, and any chunk it imports
 * statically, with the page, in parallel with main, instead of after main has run. They also make
 * index.html the list of what the first screen loads, which the bench's tab measure counts.
 */
function preloadUiChunk(): Plugin {
  return {
    name: 'preload-ui-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        const chunks = new Map(Object.values(context.bundle ?? {}).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])));
        const ui = [...chunks.values()].find((c) => c.name === 'render-app');
        const preload = new Set<string>();
        const visit = (fileName: string) => {
          const chunk = chunks.get(fileName);
          // The entry's own imports are already in the page, with Vite's hints.
          if (!chunk || chunk.isEntry || preload.has(fileName) || html.includes(fileName)) return;
          preload.add(fileName);
          chunk.imports.forEach(visit);
        };
        if (ui) visit(ui.fileName);
        return [...preload].map((fileName) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/tab/${fileName}` }, injectTo: 'head' as const }));
      },
    },
  };
}

const THEMES_CSS = 'virtual:teams-themes.css';

/**
 * The three Teams themes' Fluent tokens as CSS variables in the stylesheet, written at build time: light
 * on :root, and under html[data-theme] (app.tsx sets it) only the tokens in which dark or contrast differ
 * (type, spacing, radii and motion are shared). As JS objects they cost about 9 KB gzip of the first
 * screen (DESIGN's 80 KB) and were turned into these variables at run time anyway; Fluent components read
 * var(--token), so their FluentProvider needs no theme either.
 */
function teamsThemesCss(): Plugin {
  const rule = (selector: string, theme: Theme) =>
    `${selector}{${Object.entries(theme)
      .filter(([token, value]) => theme === teamsLightTheme || value !== teamsLightTheme[token as keyof Theme])
      .map(([token, value]) => `--${token}:${String(value)};`)
      .join('')}}`;
  return {
    name: 'teams-themes-css',
    resolveId: (source) => (source === THEMES_CSS ? `\0${THEMES_CSS}` : undefined),
    load: (id) =>
      id === `\0${THEMES_CSS}`
        ? [rule(':root', teamsLightTheme), rule("html[data-theme='dark']", teamsDarkTheme), rule("html[data-theme='contrast']", teamsHighContrastTheme)].join('\n')
        : undefined,
  };
}

/**
 * React's API, run by Preact (preact/compat): React's runtime was 66 KB gzip of a 95 KB first screen
 * (DESIGN: under 80 KB), Preact with its compat layer is 10 KB. The tab and Fluent UI import 'react' and
 * 'react-dom' as usual; exact matches, so that '@fluentui/react-*' stay what they are. What differs from
 * React: CONTRIBUTING.md, "The grooming tab".
 */
const PREACT_FOR_REACT = [
  { find: /^react$/, replacement: 'preact/compat' },
  { find: /^react-dom$/, replacement: 'preact/compat' },
  { find: /^react-dom\/client$/, replacement: 'preact/compat/client' },
  { find: /^react\/jsx-runtime$/, replacement: 'preact/compat/jsx-runtime' },
  { find: /^react\/jsx-dev-runtime$/, replacement: 'preact/compat/jsx-dev-runtime' },
  { find: /^scheduler$/, replacement: 'preact/compat/scheduler' },
];

/**
 * teams-js bundles the 'debug' package for its logger (internal/telemetry.js), and that module reads
 * localStorage at import: a synchronous round trip to the browser process before the handshake can start
 * (46 ms of the tab's main thread on a loaded machine). The tab never turns teams-js's logging on, so this
 * plugin gives teams-js a silent logger of the same shape instead: debug(namespace) returns a no-op logger
 * whose extend() returns itself (localStorage.debug no longer turns teams-js's logs on). If a teams-js release
 * renames the bundled module's export, the build fails on the missing export rather than shipping a broken
 * logger; if it moves the module, the plugin no longer matches and the real 'debug' is bundled again.
 */
function silentTeamsJsDebug(): Plugin {
  const id = '\0teams-js-silent-debug';
  return {
    name: 'teams-js-silent-debug',
    enforce: 'pre',
    resolveId: (source, importer) => (importer?.includes('@microsoft/teams-js') && /[\\/]debug[\\/]src[\\/]browser\.js$/.test(source) ? id : undefined),
    load: (source) =>
      source === id
        ? 'const logger = Object.assign(() => {}, { extend: () => logger });\nexport const b = { debug: Object.assign(() => logger, { formatArgs() {} }) };\n'
        : undefined,
  };
}

/**
 * teams-js's app module logs its version at import with the local time as an argument:
 * `log('... at %s UTC (%s local)', version, new Date().toISOString(), new Date().toLocaleString())`.
 * The logger is silent (silentTeamsJsDebug), but the arguments are still computed, and toLocaleString()
 * is the page's first use of Intl: V8 loads the locale's date formats and the time zone for it, about
 * 13 of the 17 ms of CPU the entry chunk takes to evaluate, before the Teams handshake can start (Chromium,
 * measured on the module alone). This plugin passes an empty string instead; nothing else of teams-js
 * changes. bot/test/http/tab-bundle-logger.test.ts fails when a teams-js release writes the line
 * differently, so that the call does not come back unnoticed.
 */
function noStartupLocaleTimeInTeamsJs(): Plugin {
  const call = '(new Date).toLocaleString()';
  return {
    name: 'teams-js-no-startup-locale-time',
    transform: (code, id) => (/@microsoft[\\/]teams-js[\\/].*[\\/]public[\\/]app[\\/]app\.js$/.test(id) && code.includes(call) ? code.replace(call, '""') : undefined),
  };
}

/** The bot serves tab/dist at /tab/ (docs/tab-api.md). */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/tab/',
  plugins: [react(), preloadUiChunk(), teamsThemesCss(), silentTeamsJsDebug(), noStartupLocaleTimeInTeamsJs()],
  resolve: { alias: PREACT_FOR_REACT },
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
    rolldownOptions: {
      output: {
        codeSplitting: {
          // Two vendor chunks instead of a dozen small ones. Preact is the first screen's (it changes less
          // often than the app, so it stays cached across releases). Fluent loads after the list
          // (backlog-view.tsx prefetches the editor when it is idle), or on the configuration page. Fewer,
          // larger files compress better. (A third group held Fluent's Popover and Menu until the editor
          // drew its own popup; what was left of it was 0.2 KB.)
          groups: [
            { name: 'preact', test: /node_modules[\\/]preact[\\/]/, priority: 3 },
            { name: 'fluent', test: /node_modules[\\/](@fluentui|@griffel|keyborg|@emotion|stylis|rtl-css-js)[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
});
