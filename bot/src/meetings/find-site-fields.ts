export interface SiteFields {
  /** The story point field: "Story point estimate" (team-managed projects) or "Story Points" (company-managed). */
  estimate: { id: string; name: string } | null;
  /** Every story point field of the site (a Cloud site has both): a board may estimate with either. */
  storyPointIds: string[];
  /** Jira Software's Rank field (LexoRank), when the site has one. */
  rankId: string | null;
}

interface FieldLike {
  id?: string;
  name?: string;
  schema?: { type?: string; custom?: string };
}

const ESTIMATE_NAMES = ['story point estimate', 'story points'];
const LEXO_RANK = 'com.pyxis.greenhopper.jira:gh-lexo-rank';

/** Picks the fields the tab needs from the site's field list (`GET /rest/api/3/field`). */
export function findSiteFields(fields: readonly FieldLike[]): SiteFields {
  const storyPoints = (wanted: string) => fields.filter((f) => f.id && f.name?.trim().toLowerCase() === wanted && f.schema?.type === 'number');
  const found = ESTIMATE_NAMES.flatMap(storyPoints);
  const estimate = found[0] ? { id: found[0].id!, name: found[0].name! } : null;
  const rank = fields.find((f) => f.id && f.schema?.custom === LEXO_RANK) ?? fields.find((f) => f.id && f.name === 'Rank');
  return { estimate, storyPointIds: found.map((f) => f.id!), rankId: rank?.id ?? null };
}
