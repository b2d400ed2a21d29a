/**
 * npm run package [-- <env>] [-- --write-strings]
 *
 * Builds appPackage/build/appPackage.<env>.zip and manifest.<env>.json from the manifest
 * template (default env: local). `--write-strings` first rewrites the default-language file
 * from the manifest, so adding a command or a message extension means editing one file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { buildAppPackage } from './package-app/build-app-package';
import { localizableStrings } from './package-app/localizable-strings';

const root = path.resolve(__dirname, '..');
const appPackageDir = path.join(root, 'appPackage');

function writeDefaultLanguageFile(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(appPackageDir, 'manifest.json'), 'utf8')) as {
    manifestVersion: string;
    localizationInfo?: { defaultLanguageFile?: string };
  };
  const file = manifest.localizationInfo?.defaultLanguageFile;
  if (!file) throw new Error('appPackage/manifest.json has no localizationInfo.defaultLanguageFile');
  const strings = {
    $schema: `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.Localization.schema.json`,
    ...localizableStrings(manifest),
  };
  fs.writeFileSync(path.join(appPackageDir, file), `${JSON.stringify(strings, null, 2)}\n`);
  return file;
}

async function main(argv: string[]): Promise<void> {
  const flags = argv.filter((a) => a.startsWith('--'));
  const unknown = flags.filter((f) => f !== '--write-strings');
  if (unknown.length > 0) throw new Error(`unknown option ${unknown.join(' ')} (usage: npm run package -- [env] [--write-strings])`);
  const env = argv.find((a) => !a.startsWith('--')) ?? 'local';
  if (flags.includes('--write-strings')) console.log(`wrote appPackage/${writeDefaultLanguageFile()}`);
  const built = await buildAppPackage({
    env,
    appPackageDir,
    envDir: path.join(root, 'env'),
    outDir: path.join(appPackageDir, 'build'),
  });
  console.log(`${path.relative(process.cwd(), built.zipPath)}: ${built.files.join(', ')}`);
  console.log(path.relative(process.cwd(), built.manifestPath));
}

main(process.argv.slice(2)).catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
