import { randomUUID } from 'node:crypto';

/** A member as Teams returns it from the members APIs (TeamsChannelAccount on the wire). */
export interface TeamsMember {
  id: string;
  name: string;
  aadObjectId: string;
  givenName?: string;
  surname?: string;
  email?: string;
  userPrincipalName?: string;
  tenantId?: string;
  userRole?: 'user' | 'guest' | 'anonymous';
}

export const DEFAULT_TENANT_ID = 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f';

/** A realistic member; ids follow Teams' shapes (`29:` user ids, AAD GUIDs). */
export function teamsMember(overrides: Partial<TeamsMember> = {}): TeamsMember {
  const aadObjectId = overrides.aadObjectId ?? randomUUID();
  const givenName = overrides.givenName ?? 'Megan';
  const surname = overrides.surname ?? 'Bowen';
  const mail = `${givenName}.${surname}@contoso.example`.toLowerCase();
  return {
    id: `29:1${Buffer.from(aadObjectId).toString('base64url')}`,
    name: `${givenName} ${surname}`,
    aadObjectId,
    givenName,
    surname,
    email: mail,
    userPrincipalName: mail,
    tenantId: DEFAULT_TENANT_ID,
    userRole: 'user',
    ...overrides,
  };
}
