import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { TabApi } from '../api/create-tab-api';
import { listenEstimation } from '../api/estimation-signals';
import type { EstimationSettings, RoundView } from '../api/types';

interface EstimationState {
  round: RoundView | null;
  /** The card this panel voted in the current attempt: the server never sends it back before the reveal. */
  myCard?: string;
  busy: boolean;
  error?: string;
  settings?: EstimationSettings;
}

type RoundStep = Parameters<TabApi['roundStep']>[2];

/**
 * The backlog's current estimation round, kept fresh by the backlog's event stream (its `ready` on
 * each connect, or an `estimation` event, fetches this panel's own view), and the steps an attendee
 * takes. A failed step shows its message in the panel.
 */
export function useEstimation(api: TabApi, backlogId: string) {
  const [state, setState] = useState<EstimationState>({ round: null, busy: false });
  const latest = useRef(0);

  const refresh = useCallback(async () => {
    const ask = ++latest.current;
    try {
      const round = await api.getRound(backlogId);
      // An older answer arriving after a newer one must not undo it.
      if (ask === latest.current) setState((s) => ({ ...s, round, myCard: round && s.round?.id === round.id && s.round.attempt === round.attempt ? s.myCard : undefined }));
    } catch (error) {
      if (ask === latest.current) setState((s) => ({ ...s, error: (error as Error).message }));
    }
  }, [api, backlogId]);

  // Asked when the backlog's stream says `ready` (on every connect), not on mount as well: asked
  // after the stream is open, the answer misses no round started before the stream's events
  // begin, and the panel's first load makes one request for it instead of two.
  useEffect(() => listenEstimation(backlogId, () => void refresh()), [backlogId, refresh]);

  // The timer's end reveals the round: the first panel to ask after it makes the server reveal.
  const endsAt = state.round?.phase === 'voting' ? state.round.endsAt : undefined;
  useEffect(() => {
    if (!endsAt) return;
    const timer = setTimeout(() => void refresh(), Math.max(0, Date.parse(endsAt) - Date.now()) + 250);
    return () => clearTimeout(timer);
  }, [endsAt, refresh]);

  const run = useCallback(async (work: () => Promise<RoundView>, myCard?: string) => {
    ++latest.current;
    setState((s) => ({ ...s, busy: true, error: undefined }));
    try {
      const round = await work();
      setState((s) => ({ ...s, round, busy: false, myCard: myCard ?? (s.round?.id === round.id && s.round.attempt === round.attempt ? s.myCard : undefined) }));
    } catch (error) {
      setState((s) => ({ ...s, busy: false, error: (error as Error).message }));
    }
  }, []);

  const actions = useMemo(
    () => ({
      start: (request: Parameters<TabApi['startRound']>[1]) => run(() => api.startRound(backlogId, request)),
      vote: (roundId: string, card: string) => run(() => api.roundStep(backlogId, roundId, 'votes', { card }), card),
      step: (roundId: string, step: RoundStep, body?: unknown) => run(() => api.roundStep(backlogId, roundId, step, body)),
      dismissError: () => setState((s) => ({ ...s, error: undefined })),
      async loadSettings() {
        try {
          const settings = await api.getEstimationSettings(backlogId);
          setState((s) => ({ ...s, settings }));
        } catch (error) {
          setState((s) => ({ ...s, error: (error as Error).message }));
        }
      },
      async saveSettings(settings: EstimationSettings) {
        try {
          setState((s) => ({ ...s, settings }));
          await api.putEstimationSettings(backlogId, settings);
        } catch (error) {
          setState((s) => ({ ...s, error: (error as Error).message }));
        }
      },
    }),
    [api, backlogId, run],
  );

  return { ...state, actions };
}

export type Estimation = ReturnType<typeof useEstimation>;
