import { lazy, Suspense, useState } from 'react';
import type { Estimation } from './use-estimation';
import './estimation.css';

// A round's voting, result and the settings show only while someone estimates: they load then (or when
// the list is idle, backlog-view.tsx), not with the first screen.
export const loadEstimationRound = () => import('./estimation-round');
const Voting = lazy(() => loadEstimationRound().then((m) => ({ default: m.Voting })));
const Result = lazy(() => loadEstimationRound().then((m) => ({ default: m.Result })));
const SettingsForm = lazy(() => loadEstimationRound().then((m) => ({ default: m.SettingsForm })));

const TIMERS = [0, 30, 60, 120, 300];

/**
 * Planning poker in the panel and on the stage: start a round (here on the next issue without an
 * estimate, or from a row), vote privately, see who has voted, reveal, re-vote, accept into Jira.
 */
export function EstimationPanel({ estimation, timerSeconds, onTimer }: { estimation: Estimation; timerSeconds: number; onTimer(seconds: number): void }) {
  const { round, busy, error, actions } = estimation;
  const [showSettings, setShowSettings] = useState(false);
  const active = round && round.phase !== 'cancelled' ? round : null;
  return (
    <section className="estimation" aria-labelledby="estimation-title" data-phase={active?.phase ?? 'none'} aria-busy={busy}>
      <div className="estimation-head">
        <h2 id="estimation-title" className="estimation-title">
          Estimation
        </h2>
        {active ? (
          <span className="estimation-issue">
            <a href={active.issue.url} target="_blank" rel="noreferrer">
              {active.issue.key}
            </a>{' '}
            <span className="estimation-summary" title={active.issue.summary}>
              {active.issue.summary}
            </span>
          </span>
        ) : (
          <span className="estimation-hint">Start a round from an issue's ⁂ button, or on the next issue without an estimate.</span>
        )}
        <span className="estimation-tools">
          <label className="estimation-timer">
            Timer{' '}
            <select value={timerSeconds} onChange={(e) => onTimer(Number(e.target.value))}>
              {TIMERS.map((s) => (
                <option key={s} value={s}>
                  {s === 0 ? 'none' : s < 60 ? `${s} s` : `${s / 60} min`}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn subtle" disabled={busy} onClick={() => void actions.start({ next: true, ...(timerSeconds ? { timerSeconds } : {}) })}>
            Estimate next unestimated
          </button>
          <button
            type="button"
            className="btn subtle"
            aria-expanded={showSettings}
            onClick={() => {
              if (!showSettings) void actions.loadSettings();
              setShowSettings((s) => !s);
            }}
          >
            Estimation settings
          </button>
        </span>
      </div>
      {error ? (
        <p className="estimation-error" role="alert">
          {error}{' '}
          <button type="button" className="btn subtle" onClick={actions.dismissError}>
            Dismiss
          </button>
        </p>
      ) : null}
      <Suspense fallback={null}>
        {showSettings ? <SettingsForm estimation={estimation} /> : null}
        {active?.phase === 'voting' ? <Voting round={active} estimation={estimation} /> : null}
        {active && active.phase !== 'voting' ? <Result round={active} estimation={estimation} /> : null}
      </Suspense>
    </section>
  );
}
