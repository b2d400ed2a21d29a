import type { CommandHelp } from '../../cards/help-card';

/**
 * Message extension command ids; they must match `composeExtensions[].commands[].id` in the app
 * manifest (type `action`, `fetchTask: true`, contexts `message` and `compose`).
 */
export const ComposeCommand = {
  CreateIssue: 'createIssue',
  AddComment: 'addComment',
} as const;

/** Exported so test/app-package/bot-commands.test.ts holds the manifest to it. */
export const composeCommands: readonly CommandHelp[] = [
  {
    name: 'create',
    args: '[SUMMARY]',
    description: 'Create a Jira issue. With a summary, it uses the project and type you used last here.',
    scopes: ['personal', 'team', 'groupChat'],
  },
];

/** The commands composeFeature answers, for the help card. */
export function composeCommandHelp(): readonly CommandHelp[] {
  return composeCommands;
}
