import { CardFactory, MessageFactory, type TaskModuleTaskInfo, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptive-card';
import type { CommandHelp } from '../../cards/help-card';
import type { CardNotice } from '../../cards/notice-banner';
import { subscribeStartCard, subscriptionFormCard } from '../../cards/subscription-form-card';
import { subscriptionListCard } from '../../cards/subscription-list-card';
import { SubscriptionVerb } from '../../cards/subscription-verb';
import { DEFAULT_EVENT_KINDS } from '../../alerts/issue-event';
import { isAlertError } from '../../alerts/alert-error';
import type { SubscriptionInput, SubscriptionService } from '../../alerts/subscription-service';
import type { Logger } from '../../log/create-logger';
import { commandPattern } from '../command-text';
import type { TeamsFeature } from '../teams-feature';
import type { DialogChoices } from './dialog-choices';
import { subscriptionActor } from './subscription-actor';

/** Exported so test/app-package holds appPackage/manifest.json to it. */
export const subscribeCommand: CommandHelp = {
  name: 'subscribe',
  description: 'Get Jira alerts here: projects, a JQL filter, the changes to hear about.',
  scopes: ['team', 'groupChat'],
};

export const subscriptionsCommand: CommandHelp = {
  name: 'subscriptions',
  description: 'List the Jira alerts of this conversation; edit, mute, test or delete them.',
  scopes: ['team', 'groupChat'],
};

export interface SubscriptionsFeatureDeps {
  service: SubscriptionService;
  /** Jira sites the dialog offers (the tenant's connected sites). */
  sites(context: TurnContext): Promise<Array<{ url: string; name: string }>>;
  /** Projects and the chosen projects' statuses to pick from (dialog-choices.ts); without it, typed keys and names. */
  choices?(context: TurnContext, siteUrl: string | undefined, projects: readonly string[]): Promise<DialogChoices | undefined>;
  logger: Logger;
}

type SubmitData = SubscriptionInput & { subscriptionId?: string };
type ItemData = { subscriptionId?: string };

/**
 * `subscribe` and `subscriptions`, the subscribe dialog (task module), and the list card's
 * actions. Every change goes through SubscriptionService, which checks permissions on the
 * server whatever the card showed.
 */
export function subscriptionsFeature(deps: SubscriptionsFeatureDeps): TeamsFeature {
  const { service, logger } = deps;
  const send = (context: TurnContext, card: AdaptiveCard) => context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));

  async function listCard(context: TurnContext, notice?: CardNotice): Promise<AdaptiveCard> {
    const actor = subscriptionActor(context);
    const [items, manage] = await Promise.all([service.list(actor.conversationId), service.mayManage(actor)]);
    const canManage = manage.allowed;
    return subscriptionListCard(
      items.map(({ subscription: s, parked }) => ({ ...s, parked })),
      { notice, canManage },
    );
  }

  const choicesFor = async (context: TurnContext, site: string | undefined, projects: readonly string[]) => {
    const choices = await deps.choices?.(context, site, projects);
    return choices ? { projectChoices: choices.projects, statusChoices: choices.statuses } : {};
  };

  /** The dialog again with what was submitted (after a refusal, or to show the chosen projects' statuses). */
  const formAgain = async (context: TurnContext, data: SubmitData, error?: string) => {
    const sites = await deps.sites(context);
    const split = (v: unknown) => (Array.isArray(v) ? v.map(String) : String(v ?? '').split(',')).map((s) => s.trim()).filter(Boolean);
    const projects = split(data.projects);
    return dialog(
      subscriptionFormCard({
        sites,
        subscriptionId: data.subscriptionId || undefined,
        site: data.site,
        projects,
        jql: typeof data.jql === 'string' ? data.jql : undefined,
        eventKinds: split(data.events),
        statuses: split(data.statuses),
        fields: split(data.fields),
        twoWayThreads: data.twoWayThreads === true || data.twoWayThreads === 'true',
        ...(await choicesFor(context, data.site || sites[0]?.url, projects)),
        ...(error ? { error } : {}),
      }),
    );
  };

  const dialog = (card: AdaptiveCard): TaskModuleTaskInfo => ({
    title: 'Jira alerts',
    width: 'medium',
    height: 'large',
    card: CardFactory.adaptiveCard(card),
  });

  /** Runs a list action and answers with the refreshed list; user-facing failures become its notice. */
  const listAction = (verb: string, act: (context: TurnContext, id: string) => Promise<string>) => async (context: TurnContext, _state: unknown, data: ItemData) => {
    try {
      const done = await act(context, String(data?.subscriptionId ?? ''));
      return listCard(context, { text: done, tone: 'good' });
    } catch (error) {
      if (!isAlertError(error)) throw error;
      logger.info({ verb, code: error.code, conversationId: subscriptionActor(context).conversationId }, 'subscription action refused');
      return listCard(context, { text: error.message, tone: 'attention' });
    }
  };

  return {
    name: 'subscriptions',
    commands: [subscribeCommand, subscriptionsCommand],
    register(app) {
      app.message(commandPattern('subscribe'), async (context) => {
        if (subscriptionActor(context).conversationType === 'personal') {
          await context.sendActivity('Channel alerts are set up in a channel or group chat: add me there and type **subscribe**.');
          return;
        }
        await send(context, subscribeStartCard());
      });

      app.message(commandPattern('subscriptions'), async (context) => {
        await send(context, await listCard(context));
      });

      app.taskModules.fetch<ItemData>(SubscriptionVerb.Open, async (context, _state, data) => {
        const actor = subscriptionActor(context);
        // Checked again on save; asking now spares filling in a form that cannot be saved.
        const manage = await service.mayManage(actor);
        if (!manage.allowed) return manage.reason;
        const sites = await deps.sites(context);
        const current = data?.subscriptionId ? await service.get(actor.conversationId, data.subscriptionId) : undefined;
        const choices = await choicesFor(context, current?.site ?? sites[0]?.url, current?.projects ?? []);
        return dialog(
          subscriptionFormCard({
            ...choices,
            sites,
            subscriptionId: current?.id,
            site: current?.site,
            projects: current?.projects ?? [],
            jql: current?.jql,
            eventKinds: current?.eventKinds ?? DEFAULT_EVENT_KINDS,
            statuses: current?.statuses ?? [],
            fields: current?.fields ?? [],
            twoWayThreads: current?.twoWayThreads ?? false,
          }),
        );
      });

      app.taskModules.submit<SubmitData>(SubscriptionVerb.Save, async (context, _state, data) => {
        const actor = subscriptionActor(context);
        try {
          const saved = await service.save(actor, data, data.subscriptionId || undefined);
          logger.info({ subscriptionId: saved.id, conversationId: actor.conversationId }, data.subscriptionId ? 'subscription changed' : 'subscription created');
          await send(context, await listCard(context, { text: data.subscriptionId ? 'Subscription saved.' : 'Subscribed. Alerts will appear here.', tone: 'good' }));
          return undefined;
        } catch (error) {
          if (!isAlertError(error)) throw error;
          logger.info({ code: error.code, conversationId: actor.conversationId }, 'subscription not saved');
          return formAgain(context, data, error.message);
        }
      });

      app.taskModules.submit<SubmitData>(SubscriptionVerb.Refresh, async (context, _state, data) => {
        const manage = await service.mayManage(subscriptionActor(context));
        if (!manage.allowed) return manage.reason;
        return formAgain(context, data);
      });

      app.adaptiveCards.actionExecute<ItemData>(
        SubscriptionVerb.Mute,
        listAction(SubscriptionVerb.Mute, async (context, id) => {
          await service.setMuted(subscriptionActor(context), id, true);
          return 'Muted. Alerts wait until you unmute.';
        }),
      );
      app.adaptiveCards.actionExecute<ItemData>(
        SubscriptionVerb.Unmute,
        listAction(SubscriptionVerb.Unmute, async (context, id) => {
          await service.setMuted(subscriptionActor(context), id, false);
          return 'Unmuted.';
        }),
      );
      app.adaptiveCards.actionExecute<ItemData>(
        SubscriptionVerb.Delete,
        listAction(SubscriptionVerb.Delete, async (context, id) => {
          await service.remove(subscriptionActor(context), id);
          return 'Deleted.';
        }),
      );
      app.adaptiveCards.actionExecute<ItemData>(
        SubscriptionVerb.SendTest,
        listAction(SubscriptionVerb.SendTest, async (context, id) => {
          await service.sendTest(subscriptionActor(context), id);
          return 'A test alert is on its way.';
        }),
      );
      app.adaptiveCards.actionExecute<ItemData>(
        SubscriptionVerb.RetryParked,
        listAction(SubscriptionVerb.RetryParked, async (context, id) => {
          const count = await service.retryParked(subscriptionActor(context), id);
          return `${count} undelivered alert${count === 1 ? '' : 's'} queued again.`;
        }),
      );
    },
  };
}
