import { Button, MessageBar, MessageBarActions, MessageBarBody } from '@fluentui/react-components';
import { DismissRegular } from '@fluentui/react-icons';
import type { Notice } from '../backlog/use-backlog';
import { FluentIsland } from './fluent-island';

/**
 * Outcomes of edits (errors stay until dismissed; the rest fade on their own). Each bar is named by
 * its text: Fluent names a bar by its title, which these have none of, so the name pointed nowhere.
 */
export function Notices({ notices, onDismiss }: { notices: Notice[]; onDismiss(id: number): void }) {
  return (
    <FluentIsland className="notices">
      {notices.map((notice) => (
        <MessageBar key={notice.id} intent={notice.intent} className="notice" data-intent={notice.intent} aria-labelledby={`notice-${notice.id}`}>
          <MessageBarBody id={`notice-${notice.id}`}>{notice.text}</MessageBarBody>
          <MessageBarActions
            containerAction={<Button appearance="transparent" size="small" icon={<DismissRegular />} aria-label="Dismiss" onClick={() => onDismiss(notice.id)} />}
          />
        </MessageBar>
      ))}
    </FluentIsland>
  );
}
