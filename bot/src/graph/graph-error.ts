/** Why Microsoft Graph gave no usable answer; each code maps to one message where it is shown. */
export const GraphErrorCode = {
  /** 401: no token, or one Graph did not accept (app registration, secret, managed identity). */
  Unauthenticated: 'GRAPH_UNAUTHENTICATED',
  /** 403: the app lacks the permission (for Teams apps, usually the resource-specific consent). */
  Forbidden: 'GRAPH_FORBIDDEN',
  /** 404: Graph does not know the team or chat. */
  NotFound: 'GRAPH_NOT_FOUND',
  /** 429 beyond what a person waiting for an answer should wait. */
  Throttled: 'GRAPH_THROTTLED',
  /** 5xx, timeouts and network failures after the retries. */
  Unavailable: 'GRAPH_UNAVAILABLE',
  /** Any other answer, or a body that is not what Graph documents. */
  BadResponse: 'GRAPH_BAD_RESPONSE',
} as const;

export type GraphErrorCode = (typeof GraphErrorCode)[keyof typeof GraphErrorCode];

export class GraphError extends Error {
  constructor(
    readonly code: GraphErrorCode,
    message: string,
    /** The HTTP status, when Graph answered at all. */
    readonly status?: number,
    /** Graph's own `error.code` (e.g. `Forbidden`, `TooManyRequests`). */
    readonly graphCode?: string,
    /** The permission the failed call needs, to name it when Graph says 403. */
    readonly permission?: string,
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export const isGraphError = (error: unknown): error is GraphError => error instanceof GraphError;
