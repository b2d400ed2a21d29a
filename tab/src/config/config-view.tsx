import { Field, Input, Spinner, Textarea } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { TabApi } from '../api/create-tab-api';
import { TabApiError } from '../api/tab-api-error';
import type { Backlog } from '../api/types';
import type { TeamsHost } from '../teams/connect-teams';
import { ErrorState } from '../ui/error-state';
import { FluentIsland } from '../ui/fluent-island';
import { backlogContentUrl, backlogEntityId, backlogIdOfEntity } from './backlog-tab-urls';

const EXAMPLE_JQL = 'project = PHX AND statusCategory != Done ORDER BY Rank ASC';

/**
 * The configuration page: a name and the JQL that defines the backlog. Teams' Save button calls
 * the save handler, which saves the backlog through the bot (Jira checks the JQL as this user)
 * and only then gives Teams the tab's URL; Jira's error keeps the dialog open, next to the query.
 */
export function ConfigView(props: { api: TabApi; host: TeamsHost }) {
  return (
    <FluentIsland>
      <ConfigForm {...props} />
    </FluentIsland>
  );
}

function ConfigForm({ api, host }: { api: TabApi; host: TeamsHost }) {
  const [name, setName] = useState('');
  const [jql, setJql] = useState('');
  const [error, setError] = useState<TabApiError>();
  const [saving, setSaving] = useState(false);
  const [loading, setLoading] = useState(() => backlogIdOfEntity(host.pageId) !== undefined);
  const savedId = useRef<string | undefined>(backlogIdOfEntity(host.pageId));
  const values = useRef({ name, jql });
  values.current = { name, jql };

  useEffect(() => {
    const id = savedId.current;
    if (!id) return;
    api.getBacklog(id).then(
      (backlog) => {
        setName(backlog.name);
        setJql(backlog.jql);
        setLoading(false);
      },
      (failure: unknown) => {
        // A tab whose backlog is gone is set up anew.
        if (failure instanceof TabApiError && failure.code === 'notFound') savedId.current = undefined;
        else if (failure instanceof TabApiError) setError(failure);
        setLoading(false);
      },
    );
  }, [api]);

  useEffect(() => {
    host.pagesConfig.setValidityState(name.trim() !== '' && jql.trim() !== '');
  }, [host, name, jql]);

  useEffect(() => {
    host.pagesConfig.registerOnSaveHandler((event) => {
      const input = { name: values.current.name.trim(), jql: values.current.jql.trim() };
      setSaving(true);
      setError(undefined);
      const save = async (): Promise<Backlog> =>
        savedId.current ? api.updateBacklog(savedId.current, input) : api.createBacklog({ ...input, ...(host.conversationId ? { conversationId: host.conversationId } : {}) });
      save()
        .then(async (backlog) => {
          savedId.current = backlog.id;
          await host.pagesConfig.setConfig({
            contentUrl: backlogContentUrl(window.location.origin, backlog.id),
            entityId: backlogEntityId(backlog.id),
            suggestedDisplayName: backlog.name,
            websiteUrl: `${backlog.siteUrl.replace(/\/$/, '')}/issues/?jql=${encodeURIComponent(backlog.jql)}`,
          });
          event.notifySuccess();
        })
        .catch((failure: unknown) => {
          const shown = failure instanceof TabApiError ? failure : new TabApiError(0, 'network', failure instanceof Error ? failure.message : String(failure));
          setError(shown);
          event.notifyFailure(shown.message);
        })
        .finally(() => setSaving(false));
    });
  }, [api, host]);

  if (loading) return <Spinner className="state-block" size="small" label="Loading the backlog" />;
  const jqlError = error && (error.code === 'invalidJql' || error.code === 'badRequest') ? error : undefined;
  return (
    <form className="config" onSubmit={(e) => e.preventDefault()} aria-busy={saving}>
      <p className="hint">Attendees see the issues this query finds and groom them together: priority, estimate, assignee, status and order.</p>
      <Field label="Name" required hint="The tab's title in Teams.">
        <Input value={name} onChange={(_, d) => setName(d.value)} placeholder="Sprint 42 grooming" name="name" maxLength={100} />
      </Field>
      <Field
        label="JQL query"
        required
        validationState={jqlError ? 'error' : 'none'}
        validationMessage={jqlError?.message}
        hint={jqlError ? undefined : 'Without ORDER BY the backlog is ordered by rank. Jira checks the query when you save.'}
      >
        <Textarea value={jql} onChange={(_, d) => setJql(d.value)} placeholder={EXAMPLE_JQL} name="jql" resize="vertical" rows={4} className="jql" />
      </Field>
      {saving ? <Spinner size="tiny" label="Saving in Jira" labelPosition="after" /> : null}
      {error && !jqlError ? <ErrorState error={error} inline /> : null}
    </form>
  );
}
