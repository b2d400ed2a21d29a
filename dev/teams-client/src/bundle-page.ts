import path from 'node:path';
import { build } from 'esbuild';

/**
 * The page script (page/main.ts with the `adaptivecards` renderer), bundled in memory at start: no
 * build step to forget, so the client always runs the current sources, and nothing comes from a CDN.
 */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(__dirname, '..', 'page', 'main.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}
