import { Field, Input, Spinner } from '@fluentui/react-components';
import { useEffect, useRef, useState } from 'react';
import type { TabApi } from '../api/create-tab-api';
import { TabApiError } from '../api/tab-api-error';
import type { Backlog } from '../api/types';
import type { TeamsHost } from '../teams/connect-teams';
import { ErrorState } from '../ui/error-state';
import { FluentIsland } from '../ui/fluent-island';
import { BacklogSourcePicker } from './backlog-source-picker';
import { backlogContentUrl, backlogEntityId, backlogIdOfEntity } from './backlog-tab-urls';
import { draftOfBacklog, EMPTY_DRAFT, toBacklogInput, type SourceDraft } from './to-backlog-input';

/**
 * The configuration page: a name and where the backlog comes from (a project, board, sprint or
 * saved filter picked from the user's Jira, or typed JQL). Teams' Save button calls the save
 * handler, which saves the backlog through the bot (Jira checks the pick or the JQL as this user)
 * and only then gives Teams the tab's URL; Jira's error keeps the dialog open, next to the choice.
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
  const [draft, setDraft] = useState<SourceDraft>(EMPTY_DRAFT);
  const [error, setError] = useState<TabApiError>();
  const [saving, setSaving] = useState(false);
  const [loading, setLoading] = useState(() => backlogIdOfEntity(host.pageId) !== undefined);
  const savedId = useRef<string | undefined>(backlogIdOfEntity(host.pageId));
  // A name typed by the user is theirs; until then the picked project, board, sprint or filter names the tab.
  const nameTyped = useRef(false);
  const input = toBacklogInput(name, draft);
  const current = useRef(input);
  current.current = input;

  useEffect(() => {
    const id = savedId.current;
    if (!id) return;
    api.getBacklog(id).then(
      (backlog) => {
        setName(backlog.name);
        nameTyped.current = true;
        setDraft(draftOfBacklog(backlog));
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

  const valid = input !== undefined;
  useEffect(() => {
    host.pagesConfig.setValidityState(valid);
  }, [host, valid]);

  useEffect(() => {
    host.pagesConfig.registerOnSaveHandler((event) => {
      const toSave = current.current;
      if (!toSave) {
        event.notifyFailure('Choose where the backlog comes from, and give it a name.');
        return;
      }
      setSaving(true);
      setError(undefined);
      const save = async (): Promise<Backlog> =>
        savedId.current ? api.updateBacklog(savedId.current, toSave) : api.createBacklog({ ...toSave, ...(host.conversationId ? { conversationId: host.conversationId } : {}) });
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
  // Jira's refusal of the query or of the pick goes next to it; anything else above the form.
  const choiceError = error && ['invalidJql', 'badRequest', 'notFound', 'forbidden'].includes(error.code) ? error : undefined;
  return (
    <form className="config" onSubmit={(e) => e.preventDefault()} aria-busy={saving}>
      <h1 className="sr-only">Choose the backlog of this tab</h1>
      <p className="hint">Attendees see these issues and groom them together: priority, estimate, assignee, status, order and sprint.</p>
      <Field label="Name" required hint="The tab's title in Teams.">
        <Input
          value={name}
          onChange={(_, d) => {
            nameTyped.current = d.value.trim() !== '';
            setName(d.value);
          }}
          placeholder="Sprint 42 grooming"
          name="name"
          maxLength={100}
        />
      </Field>
      <BacklogSourcePicker
        api={api}
        draft={draft}
        error={choiceError?.message}
        onChange={(next, pickedName) => {
          setDraft(next);
          setError(undefined);
          if (pickedName && !nameTyped.current) setName(pickedName);
        }}
      />
      {saving ? <Spinner size="tiny" label="Saving in Jira" labelPosition="after" /> : null}
      {error && !choiceError ? <ErrorState error={error} inline /> : null}
    </form>
  );
}
