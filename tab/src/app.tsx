import { FluentProvider, Spinner } from '@fluentui/react-components';
import { useEffect, useMemo, useState } from 'react';
import { createTabApi } from './api/create-tab-api';
import { BacklogView } from './backlog/backlog-view';
import { ConfigView } from './config/config-view';
import { connectTeams, type TeamsHost, type TeamsTheme } from './teams/connect-teams';
import { teamsThemes } from './ui/teams-themes';

type Connection = { state: 'connecting' } | { state: 'outside' } | { state: 'ready'; host: TeamsHost };

/** Picks the view from the URL (docs/tab-api.md "Pages"), connects to Teams, follows its theme. */
export function App({ view, backlogId }: { view: string; backlogId: string }) {
  const known = view === 'config' || (view === 'backlog' && backlogId !== '');
  const [connection, setConnection] = useState<Connection>(known ? { state: 'connecting' } : { state: 'outside' });
  const [theme, setTheme] = useState<TeamsTheme>(initialTheme());

  useEffect(() => {
    if (!known) return;
    connectTeams().then(
      (host) => {
        setTheme(host.theme);
        host.onThemeChange(setTheme);
        setConnection({ state: 'ready', host });
      },
      () => setConnection({ state: 'outside' }),
    );
  }, [known]);

  const api = useMemo(() => (connection.state === 'ready' ? createTabApi(window.location.origin, connection.host.getToken) : undefined), [connection]);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  return (
    <FluentProvider theme={teamsThemes[theme]} className="app">
      {connection.state === 'connecting' ? (
        <div className="state-block centered">
          <Spinner size="small" label="Loading" />
        </div>
      ) : connection.state === 'outside' || !api ? (
        <OutsideTeams known={known} />
      ) : view === 'config' ? (
        <ConfigView api={api} host={connection.host} />
      ) : (
        <BacklogView api={api} backlogId={backlogId} host={connection.host} />
      )}
    </FluentProvider>
  );
}

function OutsideTeams({ known }: { known: boolean }) {
  return (
    <div className="state-block outside" data-testid="outside-teams">
      <h1 className="title">Jira backlog for Teams</h1>
      <p>
        {known
          ? 'This page did not hear from Microsoft Teams. Open it as a tab or a meeting side panel in Teams.'
          : 'Open this from Microsoft Teams: add the Jira app to a meeting or a channel as a tab and choose a backlog.'}
      </p>
    </div>
  );
}

/** Teams can put `theme={theme}` in the URL; using it avoids a white flash before the context arrives. */
function initialTheme(): TeamsTheme {
  const theme = new URLSearchParams(window.location.search).get('theme');
  return theme === 'dark' || theme === 'contrast' ? theme : 'default';
}
