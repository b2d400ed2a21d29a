/**
 * Jira's offset-paged list shape (PageBean: self, nextPage, maxResults, startAt, total, isLast,
 * values), shared by every route that pages with startAt/maxResults.
 */
export function renderPageBean<T, R>(
  all: readonly T[],
  paging: { startAt: number; maxResults: number; baseUrl: string },
  render: (item: T) => R,
): { status: 200; body: Record<string, unknown>; objects: number } {
  const { startAt, maxResults, baseUrl } = paging;
  const page = all.slice(startAt, startAt + maxResults);
  const isLast = startAt + page.length >= all.length;
  return {
    status: 200,
    body: {
      self: `${baseUrl}?maxResults=${maxResults}&startAt=${startAt}`,
      ...(isLast ? {} : { nextPage: `${baseUrl}?maxResults=${maxResults}&startAt=${startAt + page.length}` }),
      maxResults,
      startAt,
      total: all.length,
      isLast,
      values: page.map(render),
    },
    objects: page.length,
  };
}
