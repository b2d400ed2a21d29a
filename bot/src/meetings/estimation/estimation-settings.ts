import { storeKeyPart } from '../../store/store-key-part';
import type { Store } from '../../store/store';
import type { DeckKind } from './deck-cards';

/** A backlog's estimation choices, changed by any member from the panel. */
export interface EstimationSettings {
  deck: DeckKind;
  /** The numbers of a `custom` deck. */
  customCards: number[];
  /** Who may accept a revealed value: any attendee, or only the one who started the round. */
  acceptBy: 'anyone' | 'starter';
  /** Accepting also adds a comment to the issue recording the round (votes and value). */
  comment: boolean;
}

export const DEFAULT_SETTINGS: EstimationSettings = { deck: 'fibonacci', customCards: [], acceptBy: 'anyone', comment: false };

const TABLE = 'estimationSettings';

export interface EstimationSettingsRepository {
  get(tenantId: string, backlogId: string): Promise<EstimationSettings>;
  put(tenantId: string, backlogId: string, settings: EstimationSettings): Promise<void>;
}

/** Settings in the Store beside the backlog (one row per backlog), so the backlog's own record stays as the tab API defines it. */
export function estimationSettingsRepository(store: Store): EstimationSettingsRepository {
  const key = (tenantId: string, backlogId: string) => ({ table: TABLE, partition: storeKeyPart(tenantId), row: backlogId });
  return {
    async get(tenantId, backlogId) {
      const item = await store.get<Partial<EstimationSettings>>(key(tenantId, backlogId));
      return { ...DEFAULT_SETTINGS, ...(item?.value ?? {}) };
    },
    async put(tenantId, backlogId, settings) {
      await store.put(key(tenantId, backlogId), settings);
    },
  };
}
