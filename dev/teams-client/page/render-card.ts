import * as AC from 'adaptivecards';
import MarkdownIt from 'markdown-it';
import { hostConfig, type Theme } from './host-configs';

const markdown = new MarkdownIt({ html: false, linkify: true, breaks: true });

// Teams renders card text as its Markdown subset; links open in a new window.
AC.AdaptiveCard.onProcessMarkdown = (text, result) => {
  result.outputHtml = markdown.render(text);
  result.didProcess = true;
};

/** What a card button asks the host to do. */
export type CardAction = { kind: 'execute'; verb: string; id?: string; data: Record<string, unknown> } | { kind: 'submit'; data: any } | { kind: 'openUrl'; url: string };

export function renderMarkdown(text: string): string {
  return markdown.render(text);
}

/** Renders an Adaptive Card with Teams' host config; ShowCard and ToggleVisibility are the renderer's own. */
export function renderCard(json: unknown, theme: Theme, onAction: (action: CardAction) => void): HTMLElement {
  const card = new AC.AdaptiveCard();
  card.hostConfig = new AC.HostConfig(hostConfig(theme));
  card.onExecuteAction = (action) => {
    if (action instanceof AC.ExecuteAction) {
      onAction({ kind: 'execute', verb: action.verb ?? '', id: action.id, data: (action.data ?? {}) as Record<string, unknown> });
    } else if (action instanceof AC.SubmitAction) {
      onAction({ kind: 'submit', data: action.data ?? {} });
    } else if (action instanceof AC.OpenUrlAction) {
      onAction({ kind: 'openUrl', url: action.url ?? '' });
    }
  };
  card.parse(json);
  const element = card.render();
  const holder = document.createElement('div');
  holder.className = 'card';
  if (element) holder.append(element);
  else holder.textContent = 'This card could not be shown.';
  return holder;
}
