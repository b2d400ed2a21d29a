import { readFileSync } from 'node:fs';
import { placeholderNames, resolvePlaceholders } from '../../../scripts/package-app/resolve-placeholders';

export interface BotCommand {
  title: string;
  description?: string;
}

export interface MessagingExtensionCommand {
  id: string;
  type: 'query' | 'action';
  title: string;
  description?: string;
  context: Array<'compose' | 'commandBox' | 'message'>;
  fetchTask?: boolean;
  initialRun?: boolean;
  parameters?: Array<{ name: string; title?: string; description?: string }>;
}

/** What a Teams client takes from the app's manifest: commands per scope, message extension commands, link domains. */
export interface AppManifestView {
  name: string;
  botCommands: Record<string, BotCommand[]>;
  extensionCommands: MessagingExtensionCommand[];
  linkDomains: string[];
}

/**
 * Reads appPackage/manifest.json as Teams would after packaging: `${{NAME}}` placeholders resolved
 * from `vars` (any left unset become local stand-ins, so the client runs without an env file).
 */
export function readAppManifest(file: string, vars: Record<string, string> = {}): AppManifestView {
  const template = readFileSync(file, 'utf8');
  const values: Record<string, string> = {};
  for (const name of placeholderNames(template)) values[name] = vars[name] ?? localStandIn(name);
  const manifest = JSON.parse(resolvePlaceholders(template, values, file));
  const botCommands: Record<string, BotCommand[]> = {};
  for (const list of manifest.bots?.[0]?.commandLists ?? []) {
    for (const scope of list.scopes ?? []) botCommands[scope] = list.commands ?? [];
  }
  const extensions = manifest.composeExtensions ?? [];
  return {
    name: manifest.name?.short ?? 'App',
    botCommands,
    extensionCommands: extensions.flatMap((e: any) => e.commands ?? []),
    linkDomains: extensions.flatMap((e: any) => (e.messageHandlers ?? []).filter((h: any) => h.type === 'link').flatMap((h: any) => h.value?.domains ?? [])),
  };
}

function localStandIn(name: string): string {
  if (name === 'APP_NAME_SUFFIX') return ' (local)';
  if (name.endsWith('DOMAIN')) return 'localhost';
  return '00000000-0000-4000-8000-000000000000';
}
