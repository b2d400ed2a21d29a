import fs from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { readEnvFiles } from './read-env-files';
import { resolvePlaceholders } from './resolve-placeholders';

export interface BuildOptions {
  /** Toolkit environment name: reads env/.env.<env>. */
  env: string;
  appPackageDir: string;
  envDir: string;
  outDir: string;
  processEnv?: NodeJS.ProcessEnv;
}

export interface BuiltPackage {
  zipPath: string;
  manifestPath: string;
  /** Names of the files inside the zip, in the order written. */
  files: string[];
  manifest: Manifest;
}

/** The parts of a manifest the packager reads; the rest passes through untouched. */
interface Manifest {
  icons: { color: string; outline: string; color32x32?: string };
  localizationInfo?: {
    defaultLanguageFile?: string;
    additionalLanguages?: Array<{ languageTag: string; file: string }>;
  };
  [key: string]: unknown;
}

// A fixed timestamp keeps the zip byte-identical for identical input, so a rebuilt package
// does not look like a change to anyone diffing or caching it.
const ZIP_DATE = new Date(Date.UTC(2020, 0, 1));

/**
 * Renders the manifest template and its localization files for one environment and zips them
 * with the icons, the way the Toolkit's teamsApp/zipAppPackage does, but failing on any
 * placeholder without a value instead of shipping it verbatim.
 */
export async function buildAppPackage(options: BuildOptions): Promise<BuiltPackage> {
  const { env, appPackageDir, envDir, outDir } = options;
  const { vars } = readEnvFiles(envDir, env, options.processEnv);
  const hint = `Environment "${env}" reads env/.env.${env}, env/.env.${env}.user and the process environment; provision fills ids and domains (see docs/deploy.md).`;
  const render = (file: string) => {
    const text = fs.readFileSync(path.join(appPackageDir, file), 'utf8');
    const resolved = resolvePlaceholders(text, vars, `appPackage/${file}`, { hint });
    try {
      return JSON.parse(resolved) as unknown;
    } catch (error) {
      throw new Error(`appPackage/${file} is not valid JSON once its placeholders are resolved: ${(error as Error).message}`, { cause: error });
    }
  };

  const manifest = render('manifest.json') as Manifest;
  const jsonFiles = new Map<string, unknown>([['manifest.json', manifest]]);
  const localization = manifest.localizationInfo;
  for (const file of [localization?.defaultLanguageFile, ...(localization?.additionalLanguages ?? []).map((l) => l.file)]) {
    if (file) jsonFiles.set(file, render(file));
  }
  const icons = [manifest.icons.color, manifest.icons.outline, manifest.icons.color32x32].filter((f): f is string => !!f);

  const zip = new JSZip();
  for (const [file, content] of jsonFiles) zip.file(file, `${JSON.stringify(content, null, 2)}\n`, { date: ZIP_DATE });
  for (const icon of icons) {
    const iconPath = path.join(appPackageDir, icon);
    if (!fs.existsSync(iconPath)) throw new Error(`appPackage/${icon} is named in the manifest's icons but does not exist (npm run icons draws them).`);
    zip.file(icon, fs.readFileSync(iconPath), { date: ZIP_DATE });
  }

  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, `appPackage.${env}.zip`);
  const manifestPath = path.join(outDir, `manifest.${env}.json`);
  fs.writeFileSync(zipPath, await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', platform: 'UNIX' }));
  fs.writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { zipPath, manifestPath, files: [...jsonFiles.keys(), ...icons], manifest };
}
