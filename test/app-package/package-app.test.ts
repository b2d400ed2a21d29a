import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { buildAppPackage } from '../../scripts/package-app/build-app-package';
import { parseEnvFile } from '../../scripts/package-app/parse-env-file';
import { readEnvFiles } from '../../scripts/package-app/read-env-files';
import { UnresolvedPlaceholderError, resolvePlaceholders } from '../../scripts/package-app/resolve-placeholders';
import { APP_PACKAGE_DIR, REPO_ROOT, TEST_VARS, buildTestPackage, tempDir, writeEnvDir } from './build-test-package';

describe('npm run package', () => {
  it('zips exactly the manifest, its localization file and both icons', async () => {
    const built = await buildTestPackage();
    assert.equal(path.basename(built.zipPath), 'appPackage.test.zip');
    assert.equal(path.basename(built.manifestPath), 'manifest.test.json');
    const zip = await JSZip.loadAsync(fs.readFileSync(built.zipPath));
    assert.deepEqual(Object.keys(zip.files).sort(), ['color.png', 'en-us.json', 'manifest.json', 'outline.png']);

    const zipped = JSON.parse(await zip.file('manifest.json')!.async('string'));
    assert.equal(zipped.id, TEST_VARS.TEAMS_APP_ID);
    assert.equal(zipped.name.short, `Jira Connector${TEST_VARS.APP_NAME_SUFFIX}`);
    const strings = JSON.parse(await zip.file('en-us.json')!.async('string'));
    assert.equal(strings['name.short'], zipped.name.short, 'placeholders in the localization file are resolved too');
    assert.deepEqual(await zip.file('color.png')!.async('nodebuffer'), fs.readFileSync(path.join(APP_PACKAGE_DIR, 'color.png')));
  });

  it('builds byte-identical zips from identical input', async () => {
    const a = await buildTestPackage();
    const b = await buildTestPackage();
    assert.deepEqual(fs.readFileSync(a.zipPath), fs.readFileSync(b.zipPath));
  });

  it('fails naming every placeholder that has no value, and writes nothing', async () => {
    const rest: Record<string, string> = { ...TEST_VARS };
    delete rest.BOT_DOMAIN;
    const outDir = tempDir('app-package');
    await assert.rejects(
      buildAppPackage({ env: 'dev', appPackageDir: APP_PACKAGE_DIR, envDir: writeEnvDir('dev', { ...rest, BOT_ID: '' }), outDir, processEnv: {} }),
      (error: unknown) => {
        assert.ok(error instanceof UnresolvedPlaceholderError);
        assert.deepEqual(error.names.sort(), ['BOT_DOMAIN', 'BOT_ID']);
        assert.match(error.message, /^appPackage\/manifest\.json: no value for /);
        assert.ok(error.message.includes('${{BOT_ID}}') && error.message.includes('${{BOT_DOMAIN}}'), error.message);
        assert.match(error.message, /env\/\.env\.dev/);
        return true;
      },
    );
    assert.deepEqual(fs.readdirSync(outDir), []);
  });

  it('names the missing environment file', async () => {
    await assert.rejects(
      buildAppPackage({ env: 'nope', appPackageDir: APP_PACKAGE_DIR, envDir: tempDir('env'), outDir: tempDir('out'), processEnv: {} }),
      /No environment file .*\.env\.nope/,
    );
  });

  it('layers env/.env.<env>, then .env.<env>.user, then the process environment', () => {
    const dir = writeEnvDir('dev', { A: 'file', B: 'file', C: 'file' }, { B: 'user', C: 'user' });
    const { vars, origin } = readEnvFiles(dir, 'dev', { C: 'process' });
    assert.deepEqual([vars.A, vars.B, vars.C, vars.TEAMSFX_ENV], ['file', 'user', 'process', 'dev']);
    assert.equal(origin.C, 'the process environment');
  });

  it('reads the dotenv subset the Toolkit writes', () => {
    assert.deepEqual(parseEnvFile('# comment\nA=1\nexport B = two \nC="quoted # not a comment"\nD=\'single\'\nE=value # comment\nF=\nnot a line\n'), {
      A: '1',
      B: 'two',
      C: 'quoted # not a comment',
      D: 'single',
      E: 'value',
      F: '',
    });
  });

  it('escapes values so they cannot break the JSON', () => {
    const out = resolvePlaceholders('{"name":"x${{ S }}"}', { S: ' "quoted" \\ ' }, 't.json');
    assert.equal(JSON.parse(out).name, 'x "quoted" \\ ');
  });

  it('lets only the name suffix be empty', () => {
    assert.equal(resolvePlaceholders('"a${{APP_NAME_SUFFIX}}"', { APP_NAME_SUFFIX: '' }, 't'), '"a"');
    assert.throws(() => resolvePlaceholders('"${{BOT_ID}}"', { BOT_ID: '' }, 't'), /BOT_ID/);
  });

  it('runs from the command line with an environment name and reports a missing value', async function () {
    this.timeout(60_000);
    const run = promisify(execFile);
    const envDir = path.join(REPO_ROOT, 'env');
    // The committed local template has no ids before provision, so the CLI must refuse it clearly.
    const local = parseEnvFile(fs.readFileSync(path.join(envDir, '.env.local'), 'utf8'));
    assert.equal(local.BOT_ID, '');
    const result = await run(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts', 'package-app.ts'), 'local'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', TEAMS_APP_ID: '', BOT_ID: '', BOT_DOMAIN: '' },
    }).then(
      () => assert.fail('expected a non-zero exit'),
      (error: { code: number; stderr: string }) => error,
    );
    assert.equal(result.code, 1);
    assert.match(result.stderr, /no value for \$\{\{TEAMS_APP_ID\}\}/);
  });
});
