import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildAppPackage, type BuiltPackage } from '../../scripts/package-app/build-app-package';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const APP_PACKAGE_DIR = path.join(REPO_ROOT, 'appPackage');

/** Values a provisioned environment would hold; well-formed, so only the template is under test. */
export const TEST_VARS: Record<string, string> = {
  TEAMS_APP_ID: '2f0d8a1e-6c4b-4a7e-9d3f-1b2c3d4e5f60',
  BOT_ID: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  BOT_DOMAIN: 'jirateamsdev-abc123.azurewebsites.net',
  APP_NAME_SUFFIX: '-dev',
};

// One parent folder per test process, removed when the process exits, so runs leave nothing behind.
let parent: string | undefined;

export function tempDir(prefix: string): string {
  if (!parent) {
    const created = fs.mkdtempSync(path.join(os.tmpdir(), 'jira-teams-app-package-'));
    process.once('exit', () => fs.rmSync(created, { recursive: true, force: true }));
    parent = created;
  }
  return fs.mkdtempSync(path.join(parent, `${prefix}-`));
}

/** Writes env/.env.<env> (and optionally .user) into a fresh folder and returns the folder. */
export function writeEnvDir(env: string, vars: Record<string, string>, userVars?: Record<string, string>): string {
  const dir = tempDir('env');
  const lines = (v: Record<string, string>) =>
    `${Object.entries(v)
      .map(([k, val]) => `${k}=${val}`)
      .join('\n')}\n`;
  fs.writeFileSync(path.join(dir, `.env.${env}`), lines(vars));
  if (userVars) fs.writeFileSync(path.join(dir, `.env.${env}.user`), lines(userVars));
  return dir;
}

/** Builds the real appPackage/ templates with test values, into a temporary folder. */
export async function buildTestPackage(vars: Record<string, string> = TEST_VARS, env = 'test'): Promise<BuiltPackage> {
  return buildAppPackage({
    env,
    appPackageDir: APP_PACKAGE_DIR,
    envDir: writeEnvDir(env, vars),
    outDir: tempDir('app-package'),
    processEnv: {},
  });
}
