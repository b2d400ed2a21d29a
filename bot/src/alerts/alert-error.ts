/** Errors of the alert pipeline; each code maps to one message for the person who sees it. */
export const AlertErrorCode = {
  /** A webhook without a valid signature or token. */
  Unauthenticated: 'ALERT_UNAUTHENTICATED',
  /** A webhook body that is not a Jira issue or comment event. */
  UnsupportedPayload: 'ALERT_UNSUPPORTED_PAYLOAD',
  /** No stored conversation reference for a target: the app was removed from it. */
  ConversationUnknown: 'ALERT_CONVERSATION_UNKNOWN',
  /** The person may not create or change subscriptions here. */
  NotPermitted: 'ALERT_NOT_PERMITTED',
  /** Subscription input that cannot be saved (no project, bad JQL...). */
  InvalidSubscription: 'ALERT_INVALID_SUBSCRIPTION',
} as const;

export type AlertErrorCode = (typeof AlertErrorCode)[keyof typeof AlertErrorCode];

export class AlertError extends Error {
  constructor(
    readonly code: AlertErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AlertError';
  }
}

export const isAlertError = (error: unknown): error is AlertError => error instanceof AlertError;
