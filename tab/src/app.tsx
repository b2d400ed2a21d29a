import { lazy, Suspense, useEffect, useLayoutEffect, useState } from 'react';
import { BacklogView } from './backlog/backlog-view';
import { isKnownView, type Boot, type Page } from './boot';
import type { TeamsTheme } from './teams/connect-teams';
import { Busy } from './ui/busy';
// The Fluent tokens of the three Teams themes as CSS variables, chosen by html[data-theme] (vite.config.mts).
import 'virtual:teams-themes.css';

// Opened once per tab, by whoever adds it: not worth a byte of the panel's first load.
const ConfigView = lazy(() => import('./config/config-view').then((m) => ({ default: m.ConfigView })));

/**
 * Picks the view from the URL (docs/tab-api.md "Pages") and follows Teams' theme. It first renders
 * once Teams is ready (main.ts), so the first render is already the view, in the Teams theme.
 */
export function App({ page, booted }: { page: Page; booted: Boot }) {
  const [theme, setTheme] = useState<TeamsTheme>(() => (booted.state === 'ready' ? booted.host.theme : initialTheme()));

  useEffect(() => {
    if (booted.state === 'ready') booted.host.onThemeChange(setTheme);
  }, [booted]);
  // Before paint, so the first frame is already in the Teams theme.
  useLayoutEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  const loading = <Busy label="Loading" />;
  return (
    <main className="app">
      {booted.state === 'outside' ? (
        <OutsideTeams known={isKnownView(page)} />
      ) : page.view === 'config' ? (
        <Suspense fallback={loading}>
          <ConfigView api={booted.api} host={booted.host} />
        </Suspense>
      ) : (
        <BacklogView api={booted.api} backlogId={page.backlogId} prefetch={booted.prefetch} />
      )}
    </main>
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
