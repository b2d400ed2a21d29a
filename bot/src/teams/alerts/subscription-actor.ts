import type { TurnContext } from 'botbuilder';
import type { SubscriptionActor } from '../../alerts/subscription-service';
import { tenantIdOf } from '../conversation-scope';

/** The person and conversation an activity comes from; a channel thread counts as its channel. */
export function subscriptionActor(context: TurnContext): SubscriptionActor {
  const activity = context.activity;
  const type = activity.conversation?.conversationType;
  const team = (activity.channelData as { team?: { id?: string; aadGroupId?: string } } | undefined)?.team;
  return {
    tenantId: tenantIdOf(activity),
    conversationId: (activity.conversation?.id ?? '').split(';')[0],
    conversationType: type === 'channel' || type === 'groupChat' ? type : activity.conversation?.isGroup ? 'groupChat' : 'personal',
    ...(team?.id ? { teamId: team.id } : {}),
    ...(team?.aadGroupId ? { teamAadGroupId: team.aadGroupId } : {}),
    userId: activity.from?.id ?? '',
    ...(activity.from?.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
  };
}
