import { isAlertError } from './alert-error';

export interface SendErrorClass {
  /** Stored with the row and shown in `subscriptions`: `TEAMS_429`, `NETWORK`, `ALERT_CONVERSATION_UNKNOWN`... */
  code: string;
  status?: number;
  retry: boolean;
}

// Microsoft's rate-limit guidance names 412, 502 and 504 as transient besides 429; other 5xx are too.
const TRANSIENT = new Set([408, 412, 429]);

/** Whether a failed proactive send is worth retrying, and the code to keep for it. */
export function classifySendError(error: unknown): SendErrorClass {
  if (isAlertError(error)) return { code: error.code, retry: false };
  const status = (error as { statusCode?: unknown })?.statusCode;
  if (typeof status === 'number' && status > 0) {
    return { code: `TEAMS_${status}`, status, retry: TRANSIENT.has(status) || status >= 500 };
  }
  // No HTTP answer at all (refused, reset, timed out): the connector or network is down.
  return { code: 'NETWORK', retry: true };
}
