import type { Store } from '../store/store';
import { storeKeyPart } from '../store/store-key-part';

/** Which personal notifications a user wants in their chat with the bot. */
export interface PersonalPreferences {
  assigned: boolean;
  mentioned: boolean;
  watching: boolean;
  reported: boolean;
}

export type PersonalReason = keyof PersonalPreferences;

export const DEFAULT_PERSONAL_PREFERENCES: PersonalPreferences = { assigned: true, mentioned: true, watching: false, reported: true };

const TABLE = 'alert-personal-preferences';

export interface PersonalPreferenceRepository {
  /** `userKey` is the connection owner's key (tenant and Teams user), as PersonalRecipients names it. */
  get(userKey: string): Promise<PersonalPreferences>;
  save(userKey: string, preferences: PersonalPreferences): Promise<void>;
}

export function personalPreferenceRepository(store: Store): PersonalPreferenceRepository {
  const key = (userKey: string) => ({ table: TABLE, partition: 'users', row: storeKeyPart(userKey) });
  return {
    async get(userKey) {
      return { ...DEFAULT_PERSONAL_PREFERENCES, ...(await store.get<Partial<PersonalPreferences>>(key(userKey)))?.value };
    },
    async save(userKey, preferences) {
      await store.put(key(userKey), preferences);
    },
  };
}

/** The key PersonalRecipients and the preferences share: a connection owner (tenant + Entra or Teams user id). */
export function personalUserKey(owner: { tenantId: string; userId: string }): string {
  return `${owner.tenantId}|${owner.userId}`;
}
