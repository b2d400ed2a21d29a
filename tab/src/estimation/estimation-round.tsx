import { useEffect, useState } from 'react';
import type { EstimationSettings, RoundView } from '../api/types';
import type { Estimation } from './use-estimation';

const DECKS: Array<{ value: EstimationSettings['deck']; label: string }> = [
  { value: 'fibonacci', label: 'Fibonacci' },
  { value: 'modified-fibonacci', label: 'Modified Fibonacci' },
  { value: 't-shirt', label: 'T-shirt sizes' },
  { value: 'powers-of-two', label: 'Powers of two' },
  { value: 'custom', label: 'Custom' },
];
const cardText = (label: string) => (label === 'coffee' ? '☕' : label);
const cardName = (label: string) => (label === 'coffee' ? 'coffee break' : label === '?' ? 'not sure' : label);

export function Voting({ round, estimation }: { round: RoundView; estimation: Estimation }) {
  const { busy, myCard, actions } = estimation;
  return (
    <div className="estimation-body">
      <p className="estimation-status" aria-live="polite">
        {round.attempt > 1 ? `Re-vote ${round.attempt - 1}. ` : ''}
        {round.voted.length === 0 ? 'Nobody has voted yet.' : `Voted: ${round.voted.join(', ')}.`}
        {round.waiting.length ? ` Waiting for: ${round.waiting.join(', ')}.` : ''}
        {round.observers.length ? ` Observing: ${round.observers.join(', ')}.` : ''}
      </p>
      {round.endsAt ? <Countdown endsAt={round.endsAt} /> : null}
      <label className="estimation-observe">
        <input type="checkbox" checked={round.me.observer} disabled={busy} onChange={(e) => void actions.step(round.id, 'role', { observer: e.target.checked })} /> Observe without
        voting
      </label>
      <div className="estimation-cards" role="group" aria-label="Your vote">
        {round.cards.map((card) => (
          <button
            key={card.label}
            type="button"
            className="estimation-card"
            aria-pressed={myCard === card.label}
            aria-label={`Vote ${cardName(card.label)}`}
            disabled={round.me.observer || busy}
            onClick={() => void actions.vote(round.id, card.label)}
          >
            {cardText(card.label)}
          </button>
        ))}
      </div>
      <p className="estimation-mine">
        {round.me.observer ? 'You are observing.' : round.me.voted ? `You voted${myCard ? ` ${cardName(myCard)}` : ''}; you can change it until the reveal.` : 'Pick a card.'}
      </p>
      <div className="estimation-actions">
        <button type="button" className="btn primary" disabled={busy || round.voted.length === 0} onClick={() => void actions.step(round.id, 'reveal')}>
          Reveal votes
        </button>
        <button type="button" className="btn subtle" disabled={busy} onClick={() => void actions.step(round.id, 'cancel')}>
          End round
        </button>
      </div>
    </div>
  );
}

export function Result({ round, estimation }: { round: RoundView; estimation: Estimation }) {
  const { busy, actions } = estimation;
  const summary = round.result?.summary;
  const [value, setValue] = useState(String(summary?.suggested ?? ''));
  useEffect(() => setValue(String(summary?.suggested ?? '')), [round.id, round.attempt, summary?.suggested]);
  const max = Math.max(1, ...(summary?.distribution.map((d) => d.count) ?? [1]));
  const number = Number(value.replace(',', '.'));
  return (
    <div className="estimation-body">
      <ul className="estimation-votes" aria-label="Votes">
        {round.result?.votes.map((vote) => (
          <li key={vote.name}>
            <span className="estimation-voter">{vote.name}</span> <span className="estimation-vote">{cardText(vote.card)}</span>
          </li>
        ))}
      </ul>
      {summary ? (
        <>
          <ul className="estimation-distribution" aria-label="Distribution">
            {summary.distribution.map((d) => (
              <li key={d.label} aria-label={`${cardName(d.label)}: ${d.count} vote${d.count === 1 ? '' : 's'}`}>
                <span className="estimation-bar-label">{cardText(d.label)}</span>
                <span className="estimation-bar" style={{ width: `${(d.count / max) * 100}%` }} />
                <span className="estimation-bar-count">{d.count}</span>
              </li>
            ))}
          </ul>
          <p className="estimation-stats" aria-live="polite">
            Median <strong>{summary.median ?? '–'}</strong>, average <strong>{summary.average ?? '–'}</strong>. {summary.consensus ? 'Consensus.' : 'No consensus.'}
          </p>
        </>
      ) : null}
      {round.accepted ? (
        <p className="estimation-accepted" role="status">
          {round.accepted.by} accepted {round.accepted.value} ({round.accepted.field}).
        </p>
      ) : (
        <div className="estimation-actions">
          <label className="estimation-value">
            Value to accept <input type="text" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} size={5} />
          </label>
          <button
            type="button"
            className="btn primary"
            disabled={busy || !round.me.mayAccept || value.trim() === '' || !Number.isFinite(number) || number < 0}
            title={round.me.mayAccept ? undefined : `Only ${round.startedBy}, who started the round, accepts in this backlog.`}
            onClick={() => void actions.step(round.id, 'accept', { value: number })}
          >
            Accept into Jira
          </button>
          <button type="button" className="btn subtle" disabled={busy} onClick={() => void actions.step(round.id, 'revote')}>
            Re-vote
          </button>
          {!round.me.mayAccept ? <span className="estimation-hint">Only {round.startedBy}, who started the round, accepts in this backlog.</span> : null}
        </div>
      )}
    </div>
  );
}

function Countdown({ endsAt }: { endsAt: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Math.max(0, Math.ceil((Date.parse(endsAt) - now) / 1000));
  return (
    <p className="estimation-countdown" aria-live="off">
      {left > 0 ? `Reveal in ${left} s` : 'Revealing…'}
    </p>
  );
}

export function SettingsForm({ estimation }: { estimation: Estimation }) {
  const { settings, actions } = estimation;
  const [custom, setCustom] = useState('');
  useEffect(() => setCustom(settings?.customCards.join(', ') ?? ''), [settings?.customCards]);
  if (!settings) return <p className="estimation-hint">Loading settings…</p>;
  const save = (change: Partial<EstimationSettings>) => void actions.saveSettings({ ...settings, ...change });
  return (
    <fieldset className="estimation-settings">
      <legend>Estimation settings of this backlog</legend>
      <label>
        Deck{' '}
        <select value={settings.deck} onChange={(e) => save({ deck: e.target.value as EstimationSettings['deck'] })}>
          {DECKS.map((d) => (
            <option key={d.value} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {settings.deck === 'custom' ? (
        <label>
          Custom cards{' '}
          <input
            type="text"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onBlur={() =>
              save({
                customCards: custom
                  .split(/[\s,;]+/)
                  .map(Number)
                  .filter((n) => Number.isFinite(n) && n >= 0),
              })
            }
            placeholder="1, 2, 4, 8"
          />
        </label>
      ) : null}
      <label>
        Who accepts{' '}
        <select value={settings.acceptBy} onChange={(e) => save({ acceptBy: e.target.value as EstimationSettings['acceptBy'] })}>
          <option value="anyone">Anyone</option>
          <option value="starter">The person who started the round</option>
        </select>
      </label>
      <label>
        <input type="checkbox" checked={settings.comment} onChange={(e) => save({ comment: e.target.checked })} /> Add a comment recording the round
      </label>
      <p className="estimation-hint">Deck and comment apply from the next round.</p>
    </fieldset>
  );
}
