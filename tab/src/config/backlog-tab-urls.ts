/** The tab's content URL (docs/tab-api.md "Pages"). */
export function backlogContentUrl(origin: string, backlogId: string): string {
  return `${origin}/tab/?view=backlog&backlog=${encodeURIComponent(backlogId)}`;
}

export function backlogEntityId(backlogId: string): string {
  return `backlog-${backlogId}`;
}

/** The backlog id of an entityId this page saved earlier (Teams gives it back on reconfigure). */
export function backlogIdOfEntity(entityId: string | undefined): string | undefined {
  return entityId?.startsWith('backlog-') ? entityId.slice('backlog-'.length) || undefined : undefined;
}
