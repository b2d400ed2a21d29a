/**
 * Whether sending a request twice has the same effect as once, so a network error or a 5xx may
 * be retried. Some reads are POSTs (JQL search, bulk fetch, JQL parse): they count as idempotent.
 */
export function isIdempotentRequest(method: string, path: string): boolean {
  const verb = method.toUpperCase();
  if (['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'].includes(verb)) return true;
  const p = path.replace(/\?.*$/, '').replace(/\/+$/, '');
  return /\/rest\/api\/[23]\/(search(\/jql|\/approximate-count)?|issue\/bulkfetch|jql\/(parse|match)|expression\/eval)$/.test(p);
}
