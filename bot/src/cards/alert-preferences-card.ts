import { adaptiveCard, type AdaptiveCard } from './adaptive-card';
import { noticeBanner, type CardNotice } from './notice-banner';

export const AlertPreferencesVerb = { Save: 'alerts.personal.save' } as const;

export interface AlertPreferencesView {
  assigned: boolean;
  mentioned: boolean;
  watching: boolean;
  reported: boolean;
}

const OPTIONS: ReadonlyArray<{ id: keyof AlertPreferencesView; title: string }> = [
  { id: 'assigned', title: 'An issue is assigned to me' },
  { id: 'mentioned', title: 'Someone mentions me in a comment or description' },
  { id: 'watching', title: 'An issue I watch changes' },
  { id: 'reported', title: 'Someone comments on an issue I reported' },
];

/** `notifications` in the personal chat: one switch per kind of personal notification. */
export function alertPreferencesCard(view: AlertPreferencesView, notice?: CardNotice): AdaptiveCard {
  return adaptiveCard(
    [
      ...(notice ? [noticeBanner(notice)] : []),
      { type: 'TextBlock', text: 'Personal notifications', size: 'Medium', weight: 'Bolder', wrap: true },
      { type: 'TextBlock', text: 'Tell me here when…', wrap: true, isSubtle: true, spacing: 'Small' },
      ...OPTIONS.map((option) => ({
        type: 'Input.Toggle',
        id: option.id,
        title: option.title,
        value: view[option.id] ? 'true' : 'false',
        valueOn: 'true',
        valueOff: 'false',
        wrap: true,
      })),
    ],
    [{ type: 'Action.Execute', title: 'Save', verb: AlertPreferencesVerb.Save, data: {} }],
  );
}
