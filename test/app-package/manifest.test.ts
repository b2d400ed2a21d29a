import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import restify from 'restify';
import { localizableStrings, stringLeaves } from '../../scripts/package-app/localizable-strings';
import { placeholderNames } from '../../scripts/package-app/resolve-placeholders';
import { APP_PACKAGE_DIR, REPO_ROOT, TEST_VARS, buildTestPackage } from './build-test-package';
import { describeErrors, manifestValidator, readManifestSchema } from './manifest-schema';
import { ComposeCommand } from '../../bot/src/teams/compose/compose-command';
import { SEARCH_COMMAND_ID } from '../../bot/src/teams/unfurl/on-issue-search';
import { TAB_PATH, tabStaticRoutes } from '../../bot/src/http/tab-static-routes';
import { GraphPermission } from '../../bot/src/graph/conversation-roles';

/** Message extension command ids the service answers; each feature adds its own. */
const MESSAGE_EXTENSION_COMMANDS: readonly string[] = [...Object.values(ComposeCommand), SEARCH_COMMAND_ID];

type Json = Record<string, any>;

const template = fs.readFileSync(path.join(APP_PACKAGE_DIR, 'manifest.json'), 'utf8');
const templateManifest: Json = JSON.parse(template);
const version: string = templateManifest.manifestVersion;

describe('app manifest', () => {
  let manifest: Json;
  let localization: Json;

  before(async () => {
    const built = await buildTestPackage();
    manifest = JSON.parse(fs.readFileSync(built.manifestPath, 'utf8'));
    localization = JSON.parse(
      fs.readFileSync(path.join(APP_PACKAGE_DIR, templateManifest.localizationInfo.defaultLanguageFile), 'utf8').replace(/\$\{\{APP_NAME_SUFFIX\}\}/g, TEST_VARS.APP_NAME_SUFFIX),
    );
  });

  it('declares a schema URL that matches its manifestVersion', () => {
    assert.equal(templateManifest.$schema, `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`);
  });

  it('is valid against the official schema of the version it declares, once resolved', () => {
    const validate = manifestValidator(version, 'MicrosoftTeams');
    assert.ok(validate(manifest), describeErrors(validate));
  });

  it('rejects what the schema rejects (the validator is really checking)', () => {
    const validate = manifestValidator(version, 'MicrosoftTeams');
    assert.equal(validate({ ...manifest, id: 'not-a-guid' }), false);
    assert.equal(validate({ ...manifest, accentColor: 'blue' }), false);
    const validateStrings = manifestValidator(version, 'MicrosoftTeams.Localization');
    assert.equal(validateStrings({ ...localization, 'bots[0].commandLists[3].commands[0].title': 'x' }), false);
  });

  it('has a default-language file that is valid against the localization schema', () => {
    const validate = manifestValidator(version, 'MicrosoftTeams.Localization');
    assert.ok(validate(localization), describeErrors(validate));
  });

  it('has a default-language file holding exactly the manifest strings the schema calls translatable', () => {
    const schema = readManifestSchema(version, 'MicrosoftTeams.Localization') as Json;
    const patterns = [
      ...Object.keys(schema.properties)
        .filter((k) => k !== '$schema' && k !== 'localizationKeys')
        .map((k) => new RegExp(`^${k.replace(/\./g, '\\.')}$`)),
      ...Object.keys(schema.patternProperties).map((p) => new RegExp(p)),
    ];
    const expected = localizableStrings(templateManifest, patterns);
    const file: Json = JSON.parse(fs.readFileSync(path.join(APP_PACKAGE_DIR, templateManifest.localizationInfo.defaultLanguageFile), 'utf8'));
    const { $schema, ...strings } = file;
    assert.deepEqual(strings, expected, 'run `npm run package -- --write-strings` after editing appPackage/manifest.json');
    // The packager's own list must find the same strings, or --write-strings would drop some.
    assert.deepEqual(localizableStrings(templateManifest), expected);
    assert.equal($schema, `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.Localization.schema.json`);
  });

  it('carries the version of the repository, so a release bumps both', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.equal(templateManifest.version, pkg.version);
  });

  it('uses the bot id for SSO with an identifier URI on the bot domain', () => {
    assert.deepEqual(manifest.webApplicationInfo, {
      id: TEST_VARS.BOT_ID,
      resource: `api://${TEST_VARS.BOT_DOMAIN}/${TEST_VARS.BOT_ID}`,
    });
    assert.ok(manifest.validDomains.includes(TEST_VARS.BOT_DOMAIN));
  });

  it('declares a conversational bot in personal, team and group chat scopes without files', () => {
    const [bot, ...others] = manifest.bots;
    assert.equal(others.length, 0);
    assert.equal(bot.botId, TEST_VARS.BOT_ID);
    assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
    assert.equal(bot.supportsFiles, false);
    assert.equal(bot.isNotificationOnly, false);
  });

  it('has command lists within the limits: unique titles, one list per scope, no spaces in a command', () => {
    const schema = readManifestSchema(version, 'MicrosoftTeams') as Json;
    const listSchema = schema.properties.bots.items.properties.commandLists;
    const bot = manifest.bots[0];
    assert.ok(bot.commandLists.length <= listSchema.maxItems);
    const seenScopes: string[] = [];
    for (const list of bot.commandLists) {
      const titles: string[] = list.commands.map((c: Json) => c.title);
      assert.ok(titles.length <= listSchema.items.properties.commands.maxItems, `more than the allowed commands in ${list.scopes}`);
      assert.equal(new Set(titles.map((t) => t.toLowerCase())).size, titles.length, `duplicate command in ${list.scopes.join(', ')}: ${titles.join(', ')}`);
      for (const title of titles) assert.match(title, /^[a-z][a-z0-9-]*$/, `command "${title}" must be one lower-case word`);
      for (const scope of list.scopes) {
        assert.ok(bot.scopes.includes(scope), `command list scope ${scope} is not a bot scope`);
        assert.ok(!seenScopes.includes(scope), `scope ${scope} has two command lists; Teams shows only one`);
        seenScopes.push(scope);
      }
    }
  });

  it('declares nothing the service cannot do yet (docs/manifest.md lists what each feature adds)', () => {
    for (const key of ['staticTabs', 'meetingExtensionDefinition', 'connectors']) {
      assert.equal(manifest[key], undefined, `${key} is declared: does the service handle it? Then update this test and docs/manifest.md`);
    }
  });

  it('declares the grooming tab for channels, chats, the meeting side panel and stage, configured by a page the service serves', async () => {
    assert.equal(manifest.configurableTabs?.length, 1);
    const tab = manifest.configurableTabs[0];
    assert.deepEqual([...tab.scopes].sort(), ['groupChat', 'team']);
    for (const context of ['channelTab', 'privateChatTab', 'meetingChatTab', 'meetingDetailsTab', 'meetingSidePanel', 'meetingStage']) {
      assert.ok(tab.context.includes(context), `the tab is missing the ${context} context`);
    }
    // Teams offers "Share to stage" only with the meetingStage context and these delegated RSC
    // permissions (chat meetings, channel meetings); tab/test checks the page on the stage.
    const declared = (manifest.authorization?.permissions?.resourceSpecific ?? []) as Array<{ name: string; type: string }>;
    for (const name of ['MeetingStage.Write.Chat', 'ChannelMeetingStage.Write.Group']) {
      assert.ok(
        declared.some((p) => p.name === name && p.type === 'Delegated'),
        `${name} (Delegated) is missing`,
      );
    }
    const url = new URL(tab.configurationUrl);
    assert.equal(url.host, TEST_VARS.BOT_DOMAIN);
    assert.equal(url.pathname, `${TAB_PATH}/`);
    assert.equal(url.searchParams.get('view'), 'config');
    // The page behind that URL: the built tab, as the bot serves it.
    const server = restify.createServer();
    tabStaticRoutes({ distDir: path.join(REPO_ROOT, 'tab', 'dist') })(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address();
      const page = await fetch(`http://127.0.0.1:${port}${url.pathname}${url.search}`);
      assert.equal(page.status, 200, 'the tab is not built or not served (npm run build:tab)');
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await page.text(), /<script[^>]+src="\/tab\/assets\//);
    } finally {
      server.close();
    }
  });

  it('asks resource-specific consent for each Graph permission the service reads with (who owns a team or chat)', () => {
    const declared = (manifest.authorization?.permissions?.resourceSpecific ?? []) as Array<{ name: string; type: string }>;
    for (const permission of Object.values(GraphPermission)) {
      assert.ok(
        declared.some((p) => p.name === permission && p.type === 'Application'),
        `${permission} (Application) is missing from authorization.permissions.resourceSpecific`,
      );
    }
  });

  it('asks the resource-specific consent Teams requires before it sends the bot meetingStart and meetingEnd (the recap at meeting end)', () => {
    // Without these Teams sends no meeting events at all, so the recap would never post in a real meeting
    // while every local test passes: the local Teams client sends meetingEnd regardless.
    const declared = (manifest.authorization?.permissions?.resourceSpecific ?? []) as Array<{ name: string; type: string }>;
    for (const permission of ['OnlineMeeting.ReadBasic.Chat', 'ChannelMeeting.ReadBasic.Group']) {
      assert.ok(
        declared.some((p) => p.name === permission && p.type === 'Application'),
        `${permission} (Application) is missing from authorization.permissions.resourceSpecific`,
      );
    }
  });

  it('declares exactly the message extension commands the service handles', () => {
    const declared = (manifest.composeExtensions ?? []).flatMap((extension: { commands: Array<{ id: string }> }) => extension.commands.map((command) => command.id));
    assert.deepEqual([...declared].sort(), [...MESSAGE_EXTENSION_COMMANDS].sort());
  });

  it('uses only placeholders that a provisioned environment provides', () => {
    assert.deepEqual(placeholderNames(template).sort(), Object.keys(TEST_VARS).sort());
    assert.equal(stringLeaves(manifest).filter(([, v]) => v.includes('${{')).length, 0);
  });
});
