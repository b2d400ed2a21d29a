import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from '@fluentui/react-components';
import type { TabApiError } from '../api/tab-api-error';
import { describeError } from './describe-error';
import { FluentIsland } from './fluent-island';

/**
 * A whole-view error: what happened, what to do, and Retry when it can help. In place of a whole view
 * its title is the page's heading (h1), as the view it stands for would have had one; inline, it is not.
 */
export function ErrorState({ error, onRetry, inline }: { error: TabApiError; onRetry?: () => void; inline?: boolean }) {
  const view = describeError(error);
  const intent = error.code === 'notConnected' || error.code === 'reconnectRequired' ? 'warning' : 'error';
  return (
    <FluentIsland>
      <div className={inline ? undefined : 'state-block'} role="alert" data-error-code={error.code}>
        <MessageBar intent={intent} layout="multiline">
          <MessageBarBody>
            {inline ? (
              <MessageBarTitle>{view.title}</MessageBarTitle>
            ) : (
              <h1 className="error-title">
                <MessageBarTitle>{view.title}</MessageBarTitle>
              </h1>
            )}
            <div className="error-body">{view.body}</div>
          </MessageBarBody>
          {view.retry && onRetry ? (
            <MessageBarActions>
              <Button appearance="primary" size="small" onClick={onRetry}>
                Retry
              </Button>
            </MessageBarActions>
          ) : null}
        </MessageBar>
      </div>
    </FluentIsland>
  );
}
