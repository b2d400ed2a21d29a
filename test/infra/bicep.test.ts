import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { placeholderNames } from '../../scripts/package-app/resolve-placeholders';
import { readBicep, stripBicep } from './read-bicep';

const ROOT = path.resolve(__dirname, '..', '..');
const MAIN = path.join(ROOT, 'infra', 'azure.bicep');
const main = readBicep(MAIN);
const files = [main, ...main.modules.map((m) => readBicep(m.path))];
const parameters: Record<string, { value: unknown }> = JSON.parse(fs.readFileSync(path.join(ROOT, 'infra', 'azure.parameters.json'), 'utf8')).parameters;

/** Settings the platform or an SDK reads rather than bot/src/config.ts. */
const PLATFORM_SETTINGS = new Set([
  'NODE_ENV',
  'AZURE_CLIENT_ID', // @azure/identity: which user-assigned identity to use
  'APPLICATIONINSIGHTS_CONNECTION_STRING', // Azure Monitor / Application Insights SDKs
  'SCM_DO_BUILD_DURING_DEPLOYMENT', // App Service build on zip deploy
  'CUSTOM_BUILD_COMMAND',
]);

describe('infra/azure.bicep', () => {
  it('is given only parameters it declares, and every one it requires', () => {
    for (const name of Object.keys(parameters)) assert.ok(main.params.has(name), `azure.parameters.json sets undeclared param ${name}`);
    for (const [name, param] of main.params) {
      if (!param.hasDefault) assert.ok(name in parameters, `required param ${name} is missing from azure.parameters.json`);
    }
  });

  it('declares a parameter fed from a SECRET_ variable as @secure()', () => {
    for (const [name, { value }] of Object.entries(parameters)) {
      if (placeholderNames(String(value)).some((v) => v.startsWith('SECRET_'))) {
        assert.ok(main.params.get(name)?.secure, `${name} carries a secret but is not @secure()`);
      }
    }
  });

  it('never outputs a secure parameter', () => {
    const secure = [...main.params].filter(([, p]) => p.secure).map(([n]) => n);
    const outputLines = main.code.split('\n').filter((l) => l.startsWith('output '));
    for (const name of secure) for (const line of outputLines) assert.ok(!new RegExp(`\\b${name}\\b`).test(line), line);
  });

  it('passes each module only the parameters it declares, and all it requires', () => {
    for (const module of main.modules) {
      const target = readBicep(module.path);
      for (const name of module.params) assert.ok(target.params.has(name), `${module.name} passes undeclared param ${name}`);
      for (const [name, p] of target.params) if (!p.hasDefault) assert.ok(module.params.includes(name), `${module.name} omits ${name}`);
    }
  });

  it('uses every parameter and variable it declares', () => {
    for (const file of files) {
      for (const name of [...file.params.keys(), ...file.vars]) {
        const uses = file.code.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
        assert.ok(uses > 1, `${path.basename(file.file)}: ${name} is declared but never used`);
      }
    }
  });

  it('has balanced brackets and dated API versions on every resource', () => {
    for (const file of files) {
      const counts = (open: string, close: string) => [...file.code].filter((c) => c === open).length - [...file.code].filter((c) => c === close).length;
      assert.deepEqual([counts('{', '}'), counts('[', ']'), counts('(', ')')], [0, 0, 0], path.basename(file.file));
      for (const r of file.resources) assert.match(r.apiVersion, /^\d{4}-\d{2}-\d{2}(-preview)?$/, `${r.name}: ${r.apiVersion}`);
    }
  });

  it('creates what the service needs: bot with Teams channel, Linux Node 22 app, Storage, Key Vault, identity, monitoring', () => {
    const types = files.flatMap((f) => f.resources.map((r) => r.type));
    for (const type of [
      'Microsoft.BotService/botServices',
      'Microsoft.BotService/botServices/channels',
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.Storage/storageAccounts',
      'Microsoft.KeyVault/vaults',
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.Insights/components',
      'Microsoft.OperationalInsights/workspaces',
    ]) {
      assert.ok(types.includes(type), `no ${type}`);
    }
    const source = fs.readFileSync(MAIN, 'utf8');
    assert.match(source, /linuxFxVersion: 'NODE\|22-lts'/);
    assert.match(source, /enableRbacAuthorization: true/);
    assert.match(fs.readFileSync(main.modules[0].path, 'utf8'), /channelName: 'MsTeamsChannel'/);
    // Storage Table Data Contributor, Key Vault Secrets User.
    for (const id of ['0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3', '4633458b-17de-408a-b874-0445c86b69e6']) {
      assert.ok(source.includes(id), `no role assignment for ${id}`);
    }
  });

  it('creates no storage queue and no queue role: nothing in the service uses one', () => {
    const types = files.flatMap((f) => f.resources.map((r) => r.type));
    assert.ok(!types.some((t) => /queueServices/i.test(t)), 'a queue service is provisioned');
    // Storage Queue Data Contributor.
    assert.ok(!main.code.includes('974c5e8b-45b9-4653-ba55-5f855dd0fb88'));
  });

  it('scales out: instance counts, an autoscale rule on the plan, and Azure Managed Redis whose URL only Key Vault holds', () => {
    const source = fs.readFileSync(MAIN, 'utf8');
    for (const name of ['instanceCount', 'maxInstanceCount']) {
      assert.equal(main.params.get(name)?.type, 'int', `no int param ${name}`);
      assert.equal(main.params.get(name)?.hasDefault, true, `${name} needs a default: one instance unless asked`);
    }
    assert.match(source, /param maxInstanceCount int = instanceCount\b/, 'one instance and no Redis by default');
    assert.match(source, /var clustered = maxInstanceCount > 1\b/);
    const resource = (type: string) => main.resources.find((r) => r.type === type);
    assert.ok(resource('Microsoft.Insights/autoscalesettings'), 'no autoscale setting');
    assert.ok(resource('Microsoft.Cache/redisEnterprise'), 'no Azure Managed Redis');
    assert.ok(resource('Microsoft.Cache/redisEnterprise/databases'), 'no Redis database');
    const block = (name: string) => {
      const start = source.search(new RegExp(`^resource ${name} `, 'm'));
      assert.ok(start >= 0, `no resource ${name}`);
      return source.slice(start, source.indexOf('\n}\n', start));
    };
    // Redis, its secret and the autoscale rule exist only when more than one instance may run.
    assert.match(block('redis'), /= if \(clustered\)/);
    assert.match(block('redisDatabase'), /= if \(clustered\)/);
    assert.match(block('redisDatabase'), /clientProtocol: 'Encrypted'/);
    // One endpoint for a non-cluster client (ioredis' Redis), and no eviction of windows or leases.
    assert.match(block('redisDatabase'), /clusteringPolicy: 'EnterpriseCluster'/);
    assert.match(block('redisDatabase'), /evictionPolicy: 'NoEviction'/);
    assert.match(block('redisUrlSecret'), /= if \(clustered\)/);
    assert.match(block('redisUrlSecret'), /value: 'rediss:\/\/:\$\{redisDatabase\.listKeys\(\)\.primaryKey\}@/);
    assert.match(block('autoscale'), /= if \(maxInstanceCount > instanceCount\)/);
    assert.match(block('autoscale'), /targetResourceUri: plan\.id/);
    assert.match(block('autoscale'), /direction: 'Increase'[\s\S]*direction: 'Decrease'/);
    assert.match(block('plan'), /capacity: instanceCount/);
    // The key reaches the app only as a Key Vault reference, and REDIS_URL is set only in cluster mode.
    assert.match(source, /var clusterSettings = clustered \? \{ REDIS_URL: '@Microsoft\.KeyVault\(VaultName=\$\{vault\.name\};SecretName=redis-url\)' \} : \{\}/);
    assert.match(block('webAppSettings'), /union\([^)]*clusterSettings\)/);
    assert.match(block('webAppSettings'), /redisUrlSecret/, 'the app starts before the secret exists');
    assert.ok(!main.outputs.has('REDIS_URL'));
  });

  it('sets only app settings the service or the platform reads, including the ones it needs on Azure', () => {
    const config = fs.readFileSync(path.join(ROOT, 'bot', 'src', 'config.ts'), 'utf8');
    const start = main.code.indexOf('var coreSettings');
    const block = main.code.slice(start, main.code.indexOf('resource webApp ', start));
    const keys = new Set([...block.matchAll(/\b([A-Z][A-Z0-9_]{2,}):/g)].map((m) => m[1]));
    for (const key of keys) {
      assert.ok(PLATFORM_SETTINGS.has(key) || new RegExp(`\\b${key}\\b`).test(config), `app setting ${key} is read by nothing`);
    }
    for (const key of [
      'STORE',
      'AZURE_STORAGE_ACCOUNT_URL',
      'KEY_VAULT_URL',
      'BOT_ID',
      'BOT_TENANT_ID',
      'BOT_TYPE',
      'BOT_PASSWORD',
      'PUBLIC_URL',
      'APPLICATIONINSIGHTS_CONNECTION_STRING',
      'ATLASSIAN_CLIENT_SECRET',
      'TOKEN_ENCRYPTION_KEY',
      'REDIS_URL',
    ]) {
      assert.ok(keys.has(key), `app setting ${key} is not set`);
    }
  });
});

describe('infra/aad.manifest.json', () => {
  it("exposes the SSO resource the Teams manifest names, on the bot's own app", () => {
    const aad = JSON.parse(fs.readFileSync(path.join(ROOT, 'infra', 'aad.manifest.json'), 'utf8'));
    const teams = JSON.parse(fs.readFileSync(path.join(ROOT, 'appPackage', 'manifest.json'), 'utf8'));
    assert.equal(aad.appId, teams.webApplicationInfo.id);
    assert.deepEqual(aad.identifierUris, [teams.webApplicationInfo.resource]);
    const scope = aad.api.oauth2PermissionScopes.find((s: { value: string }) => s.value === 'access_as_user');
    assert.ok(scope, 'no access_as_user scope');
    // Teams desktop/mobile and Teams web must be pre-authorized, or SSO shows a consent error.
    const preAuthorized = aad.api.preAuthorizedApplications.map((a: { appId: string }) => a.appId);
    assert.deepEqual(preAuthorized.sort(), ['1fec8e78-bce4-4aaf-ab1b-5451cc387264', '5e3ce6c0-2b1f-4285-8d4b-75ee78787346']);
  });
});

describe('stripBicep', () => {
  it('blanks comments and string contents but keeps interpolations', () => {
    assert.equal(stripBicep("a // x {\nb '{${c}' /* } */ d"), "a \nb ' ${c}'  d");
  });
});
