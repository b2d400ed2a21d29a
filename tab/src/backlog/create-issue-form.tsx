import { Button, Field, Input, Select } from '@fluentui/react-components';
import { useState } from 'react';
import type { Backlog, BacklogOptions } from '../api/types';
import { FluentIsland } from '../ui/fluent-island';
import { backlogProjectKey } from './backlog-project-key';
import type { BacklogActions } from './use-backlog';

const REMEMBER = 'jira-tab:last-create';

/**
 * Focuses the summary once, when its input is mounted, as React's autoFocus did. Preact (vite.config.mts)
 * only sets the autofocus attribute, which a browser ignores on an element added after the page loaded.
 * One function for every render, so that a re-render does not take the focus back from the pickers.
 */
const focusOnMount = (input: HTMLInputElement | null) => input?.focus();

/**
 * Project, type and summary; stays open for the next one. The project is the backlog's own when it
 * names one (where its new issues belong), else the last one used; the type is the last one used.
 */
export function CreateIssueForm(props: CreateIssueFormProps) {
  return (
    <FluentIsland>
      <CreateIssueFields {...props} />
    </FluentIsland>
  );
}

interface CreateIssueFormProps {
  backlog: Backlog | undefined;
  options: BacklogOptions | undefined;
  actions: BacklogActions;
  onClose(): void;
}

function CreateIssueFields({ backlog, options, actions, onClose }: CreateIssueFormProps) {
  const projects = options?.projects ?? [];
  const remembered = readRemembered();
  const preferred = [backlogProjectKey(backlog), remembered.projectKey];
  const [chosenKey, setProjectKey] = useState<string>();
  // Until the user picks one, follow the options and the backlog as they arrive.
  const projectKey = chosenKey ?? preferred.map((key) => projects.find((p) => p.key === key)?.key).find(Boolean) ?? projects[0]?.key ?? '';
  const project = projects.find((p) => p.key === projectKey);
  const [typeId, setTypeId] = useState(() => remembered.issueTypeId ?? '');
  const issueType = project?.issueTypes.find((t) => t.id === typeId) ?? project?.issueTypes[0];
  const [summary, setSummary] = useState('');
  const [busy, setBusy] = useState(false);

  if (options && projects.length === 0) {
    return (
      <div className="create-form" role="note">
        You may not create issues in any project of this site.{' '}
        <Button size="small" appearance="subtle" onClick={onClose}>
          Close
        </Button>
      </div>
    );
  }

  const submit = async () => {
    if (!project || !issueType || summary.trim() === '' || busy) return;
    setBusy(true);
    try {
      const created = await actions.create({ projectKey: project.key, issueTypeId: issueType.id, summary: summary.trim() });
      // Show the creator their new row, wherever the list put it.
      if (created) requestAnimationFrame(() => document.querySelector(`li.row[data-key="${CSS.escape(created.key)}"]`)?.scrollIntoView({ block: 'nearest' }));
      localStorage.setItem(REMEMBER, JSON.stringify({ projectKey: project.key, issueTypeId: issueType.id }));
      setSummary('');
    } catch {
      // the list shows the error; the summary stays for another try
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="create-form"
      aria-label="New issue"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="create-pickers">
        <Field label="Project" size="small">
          <Select size="small" value={project?.key ?? ''} onChange={(_, d) => setProjectKey(d.value)}>
            {projects.map((p) => (
              <option key={p.key} value={p.key}>
                {`${p.key} – ${p.name}`}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Type" size="small">
          <Select size="small" value={issueType?.id ?? ''} onChange={(_, d) => setTypeId(d.value)}>
            {(project?.issueTypes ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <Field label="Summary" size="small">
        <Input size="small" ref={focusOnMount} value={summary} onChange={(_, d) => setSummary(d.value)} placeholder="What needs doing?" name="summary" maxLength={255} />
      </Field>
      <div className="create-actions">
        <Button type="submit" appearance="primary" size="small" disabled={busy || !project || !issueType || summary.trim() === ''}>
          {busy ? 'Creating…' : 'Create'}
        </Button>
        <Button size="small" appearance="subtle" onClick={onClose}>
          Close
        </Button>
      </div>
    </form>
  );
}

function readRemembered(): { projectKey?: string; issueTypeId?: string } {
  try {
    return (JSON.parse(localStorage.getItem(REMEMBER) ?? '{}') as { projectKey?: string; issueTypeId?: string }) ?? {};
  } catch {
    return {};
  }
}
