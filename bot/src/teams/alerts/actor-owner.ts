import { connectionOwner, type ConnectionOwner } from '../../connections/connection';
import type { SubscriptionActor } from '../../alerts/subscription-service';

/** The actor's own Jira connection key: the same identity `connect` stored it under. */
export function actorOwner(actor: SubscriptionActor): ConnectionOwner {
  return connectionOwner(actor.tenantId, { id: actor.userId, ...(actor.aadObjectId ? { aadObjectId: actor.aadObjectId } : {}) });
}
