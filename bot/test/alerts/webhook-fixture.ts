import fs from 'node:fs';
import path from 'node:path';

/** A recorded Jira webhook body from ../fixtures/jira-webhooks (see its README), as the raw string Jira signs. */
export const webhookFixture = (name: string): string => fs.readFileSync(path.join(__dirname, '../fixtures/jira-webhooks', `webhook.${name}.json`), 'utf8');
