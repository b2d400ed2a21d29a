import type { BacklogEvent } from './types';

type EstimationSignal = Extract<BacklogEvent, { type: 'estimation' | 'ready' }>;

const listeners = new Map<string, Set<(signal: EstimationSignal) => void>>();

/**
 * The backlog's one event stream carries estimation events too: the stream hands them (and every
 * reconnect, after which events may have been missed) to the estimation panel through here, so
 * the panel needs no second stream.
 */
export function listenEstimation(backlogId: string, listener: (signal: EstimationSignal) => void): () => void {
  let set = listeners.get(backlogId);
  if (!set) listeners.set(backlogId, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(backlogId);
  };
}

export function signalEstimation(backlogId: string, signal: EstimationSignal): void {
  for (const listener of listeners.get(backlogId) ?? []) listener(signal);
}
