// `project = PHX`, `project = "PHX"`, `project in (PHX, KAN)`: the first key named. Not `!=` or `not in`.
const PROJECT_CLAUSE = /\bproject\s*(?:=|in\s*\()\s*["']?([A-Za-z][A-Za-z0-9_]*)["']?/i;

/** The first project a typed query names (where its issues are planned), or undefined. */
export function jqlProjectKey(jql: string): string | undefined {
  return PROJECT_CLAUSE.exec(jql)?.[1]?.toUpperCase();
}
