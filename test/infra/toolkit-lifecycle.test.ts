import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { parseEnvFile } from '../../scripts/package-app/parse-env-file';
import { placeholderNames } from '../../scripts/package-app/resolve-placeholders';
import { readBicep } from './read-bicep';

const ROOT = path.resolve(__dirname, '..', '..');
const read = (file: string) => fs.readFileSync(path.resolve(ROOT, file), 'utf8');

interface Action {
  uses: string;
  name?: string;
  with?: Record<string, any>;
  writeToEnvironmentFile?: Record<string, string>;
}

/**
 * The `with` keys each action requires and the ones it also accepts, as the Toolkit's YAML schema
 * v1.11 states them (aka.ms/teams-toolkit/v1.11/yaml.schema.json), which rejects any other key.
 * An action missing here is one this project has not checked: add it rather than loosening the test.
 */
const ACTIONS: Record<string, { required: string[]; optional?: string[]; writes?: string[] }> = {
  'teamsApp/create': { required: ['name'], writes: ['teamsAppId'] },
  'aadApp/create': {
    required: ['name', 'generateClientSecret', 'signInAudience'],
    optional: ['generateServicePrincipal', 'serviceManagementReference', 'clientSecretExpireDays', 'clientSecretDescription', 'uniqueName'],
    writes: ['clientId', 'objectId', 'clientSecret', 'tenantId', 'authority', 'authorityHost'],
  },
  'aadApp/update': { required: ['manifestPath', 'outputFilePath'] },
  'arm/deploy': { required: ['subscriptionId', 'resourceGroupName', 'templates'], optional: ['bicepCliVersion'] },
  'botFramework/create': { required: ['botId', 'name', 'messagingEndpoint'], optional: ['description', 'iconUrl', 'channels'] },
  'teamsApp/validateManifest': { required: ['manifestPath'] },
  'teamsApp/zipAppPackage': { required: ['manifestPath', 'outputZipPath', 'outputFolder'] },
  'teamsApp/validateAppPackage': { required: ['appPackagePath'] },
  'teamsApp/update': { required: ['appPackagePath'] },
  'teamsApp/publishAppPackage': { required: ['appPackagePath'], writes: ['publishedAppId'] },
  'cli/runNpmCommand': { required: ['args'], optional: ['workingDirectory'] },
  'azureAppService/zipDeploy': {
    required: ['artifactFolder', 'resourceId'],
    optional: ['workingDirectory', 'ignoreFile', 'dryRun', 'outputZipFile'],
  },
  'file/createOrUpdateEnvironmentFile': { required: ['envs', 'target'] },
  script: { required: ['run'], optional: ['workingDirectory', 'shell', 'timeout', 'redirectTo'] },
};

/** Variables an action writes without naming them in writeToEnvironmentFile. */
function implicitOutputs(action: Action): string[] {
  if (action.uses === 'arm/deploy') {
    return action.with!.templates.flatMap((t: { path: string }) => [...readBicep(path.resolve(ROOT, t.path)).outputs.keys()]);
  }
  // aadApp/update generates the scope id when the Entra manifest uses it and it is empty.
  if (action.uses === 'aadApp/update') return ['AAD_APP_ACCESS_AS_USER_PERMISSION_ID'];
  return [];
}

/** Template files an action renders with the environment, besides its own `with` values. */
function renderedFiles(action: Action): string[] {
  const w = action.with ?? {};
  switch (action.uses) {
    case 'teamsApp/validateManifest':
    case 'teamsApp/zipAppPackage': {
      const manifest = JSON.parse(read(w.manifestPath));
      const dir = path.dirname(w.manifestPath);
      const l10n = manifest.localizationInfo ?? {};
      const files = [l10n.defaultLanguageFile, ...(l10n.additionalLanguages ?? []).map((a: { file: string }) => a.file)];
      return [w.manifestPath, ...files.filter(Boolean).map((f: string) => path.join(dir, f))];
    }
    case 'aadApp/update':
      return [w.manifestPath];
    case 'arm/deploy':
      return w.templates.map((t: { parameters: string }) => t.parameters).filter(Boolean);
    default:
      return [];
  }
}

/** Splits an env file into values the user sets and the ones provision is documented to write. */
function envTemplate(env: string): { inputs: Set<string>; written: Set<string> } {
  const text = read(`env/.env.${env}`);
  const [before, after = ''] = text.split(/^# Written by provision.*$/m);
  return { inputs: new Set(Object.keys(parseEnvFile(before))), written: new Set(Object.keys(parseEnvFile(after))) };
}

/** SECRET_* names env/README.md tells the user to put in env/.env.<env>.user. */
function documentedSecrets(env: string): Set<string> {
  const rows = read('env/README.md')
    .split('\n')
    .filter((l) => l.startsWith('| `SECRET_') && l.includes(`.env.${env}.user`));
  return new Set(rows.map((l) => /`(SECRET_[A-Z0-9_]+)`/.exec(l)![1]));
}

const lifecycles: Array<{ file: string; env: string }> = [
  { file: 'teamsapp.yml', env: 'dev' },
  { file: 'teamsapp.local.yml', env: 'local' },
];

for (const { file, env } of lifecycles) {
  describe(`${file} (env/.env.${env})`, () => {
    const doc = YAML.parse(read(file));
    const stages = ['provision', 'deploy', 'publish'].filter((s) => doc[s]);
    const actions: Action[] = stages.flatMap((s) => doc[s]);
    const { inputs, written } = envTemplate(env);

    it('is a v1.x lifecycle file using ./env', () => {
      // v1.11 is the first with aadApp/create's generateServicePrincipal, which single-tenant bots need.
      assert.equal(doc.version, 'v1.11');
      assert.equal(doc.environmentFolderPath, './env');
      assert.ok(Array.isArray(doc.provision));
    });

    it('uses only known actions, with their required parameters and no unknown ones', () => {
      for (const action of actions) {
        const spec = ACTIONS[action.uses];
        assert.ok(spec, `${action.uses} is not an action this test knows`);
        for (const key of spec.required) assert.ok(action.with && key in action.with, `${action.uses} lacks with.${key}`);
        for (const key of Object.keys(action.with ?? {})) {
          assert.ok([...spec.required, ...(spec.optional ?? [])].includes(key), `${action.uses} has unknown with.${key}`);
        }
        for (const key of Object.keys(action)) assert.ok(['uses', 'name', 'env', 'with', 'writeToEnvironmentFile'].includes(key), `${action.uses}: unknown ${key}`);
        for (const key of Object.keys(action.writeToEnvironmentFile ?? {})) {
          assert.ok(spec.writes?.includes(key), `${action.uses} cannot write ${key}`);
        }
        for (const t of action.with?.templates ?? []) {
          for (const key of Object.keys(t)) assert.ok(['deploymentName', 'path', 'parameters'].includes(key), `arm/deploy template: unknown ${key}`);
        }
      }
    });

    it('points every action at files that exist', () => {
      for (const action of actions) {
        for (const f of renderedFiles(action)) assert.ok(fs.existsSync(path.resolve(ROOT, f)), `${action.uses}: ${f} does not exist`);
        for (const t of action.with?.templates ?? []) assert.ok(fs.existsSync(path.resolve(ROOT, t.path)), t.path);
      }
    });

    it('gives every placeholder a value by the time an action reads it', () => {
      const available = new Set<string>(['TEAMSFX_ENV', ...inputs, ...documentedSecrets(env)]);
      for (const stage of stages) {
        for (const action of doc[stage] as Action[]) {
          const texts = [JSON.stringify(action.with ?? {}), ...renderedFiles(action).map(read)];
          for (const name of texts.flatMap(placeholderNames)) {
            const ownOutput = implicitOutputs(action).includes(name);
            assert.ok(available.has(name) || ownOutput, `${stage} ${action.uses} reads \${{${name}}}, which nothing sets before it`);
          }
          for (const name of [...Object.values(action.writeToEnvironmentFile ?? {}), ...implicitOutputs(action)]) available.add(name);
        }
      }
    });

    it('writes every value env/.env.' + env + ' says provision writes', () => {
      const produced = new Set(actions.flatMap((a) => [...Object.values(a.writeToEnvironmentFile ?? {}), ...implicitOutputs(a)]));
      for (const name of written) assert.ok(produced.has(name), `env/.env.${env} lists ${name} under "Written by provision", but no action writes it`);
    });

    it("creates the bot's Entra app single-tenant, with a service principal and a secret", () => {
      const create = actions.find((a) => a.uses === 'aadApp/create' && a.writeToEnvironmentFile?.clientId === 'BOT_ID');
      assert.ok(create, 'no aadApp/create writes BOT_ID');
      assert.equal(create.with!.signInAudience, 'AzureADMyOrg');
      assert.equal(create.with!.generateServicePrincipal, true);
      assert.equal(create.with!.generateClientSecret, true);
    });

    it('keeps secrets out of committed env files and writes them only to SECRET_ names', () => {
      for (const name of [...inputs, ...written]) assert.ok(!name.startsWith('SECRET_'), `${name} belongs in env/.env.${env}.user`);
      for (const action of actions) {
        const secret = action.writeToEnvironmentFile?.clientSecret;
        if (secret !== undefined) assert.match(secret, /^SECRET_/);
      }
    });
  });
}

describe('teamsapp.yml deploy', () => {
  it('builds the bot and the grooming tab before zipping, so the deployed service can serve /tab/', () => {
    const deploy: Action[] = YAML.parse(read('teamsapp.yml')).deploy;
    const npmArgs = deploy.filter((a) => a.uses === 'cli/runNpmCommand').map((a) => String(a.with?.args));
    const zipAt = deploy.findIndex((a) => a.uses === 'azureAppService/zipDeploy');
    assert.ok(zipAt > 0);
    for (const script of ['run build', 'run build:tab']) {
      const at = deploy.findIndex((a) => a.uses === 'cli/runNpmCommand' && a.with?.args === script);
      assert.ok(at >= 0 && at < zipAt, `deploy must run npm ${script} before zipDeploy (has: ${npmArgs.join(', ')})`);
    }
    assert.ok(!/^tab\/dist\/?$/m.test(read('.webappignore')), '.webappignore must not leave out tab/dist');
  });
});

describe('teamsapp.local.yml and the service configuration', () => {
  it('writes only variables bot/src/config.ts reads into ./.env.local', () => {
    const config = read('bot/src/config.ts');
    const doc = YAML.parse(read('teamsapp.local.yml'));
    const writes = [...doc.provision, ...(doc.deploy ?? [])].filter((a: Action) => a.uses === 'file/createOrUpdateEnvironmentFile');
    assert.ok(writes.length > 0);
    for (const action of writes) {
      for (const key of Object.keys(action.with.envs)) assert.match(config, new RegExp(`\\b${key}\\b`), `${key} is not a setting of the service`);
    }
  });
});
