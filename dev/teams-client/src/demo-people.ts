import { teamsMember, type TeamsMember } from '../../bot-connector-emu/src';

/** The tenant of the local client's people (any GUID; the bot keys connections by it and the user). */
export const LOCAL_TENANT_ID = '00000000-0000-4000-8000-0000000000aa';

/** A Teams person of the local client; `jira` is the simulator's demo user of the same name. */
export interface TeamsPerson extends TeamsMember {
  /** Short handle used in URLs (`?as=alice`) and the simulator's `<handle>@example.com`. */
  handle: string;
}

const NAMES: Array<[string, string]> = [
  ['Alice', 'Admin'],
  ['Bob', 'Builder'],
  ['Carol', 'Product'],
  ['Dave', 'Developer'],
];

/**
 * The simulator's demo users as Teams people: each has a Teams id (`29:...`) and an Entra object id,
 * the same ones the Bot Connector's rosters and Graph answer with, so `TeamsInfo` and Graph agree.
 */
export function demoPeople(): TeamsPerson[] {
  return NAMES.map(([givenName, surname], i) => {
    const handle = givenName.toLowerCase();
    const member = teamsMember({
      aadObjectId: `00000000-0000-4000-8000-00000000010${i + 1}`,
      givenName,
      surname,
      email: `${handle}@example.com`,
      userPrincipalName: `${handle}@example.com`,
      tenantId: LOCAL_TENANT_ID,
    });
    return { ...member, handle };
  });
}
