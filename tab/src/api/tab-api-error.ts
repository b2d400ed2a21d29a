import type { ErrorCode } from './types';

/** A non-2xx answer of the tab API, or a request that never got one (code `network`). */
export class TabApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TabApiError';
  }
}

/** Reads the contract's `{ error: { code, message } }`; anything else becomes a generic error for that status. */
export async function readTabApiError(response: Response): Promise<TabApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string } };
    if (body?.error?.code && body.error.message) return new TabApiError(response.status, body.error.code as ErrorCode, body.error.message);
  } catch {
    // not JSON: a proxy or a crash answered; fall through
  }
  return new TabApiError(response.status, 'network', `The service answered HTTP ${response.status}. Try again in a moment.`);
}
