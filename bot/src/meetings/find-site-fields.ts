export interface SiteFields {
  /** The story point field: "Story point estimate" (team-managed projects) or "Story Points" (company-managed). */
  estimate: { id: string; name: string } | null;
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
  let estimate: SiteFields['estimate'] = null;
  for (const wanted of ESTIMATE_NAMES) {
    const found = fields.find((f) => f.id && f.name?.trim().toLowerCase() === wanted && f.schema?.type === 'number');
    if (found) {
      estimate = { id: found.id!, name: found.name! };
      break;
    }
  }
  const rank = fields.find((f) => f.id && f.schema?.custom === LEXO_RANK) ?? fields.find((f) => f.id && f.name === 'Rank');
  return { estimate, rankId: rank?.id ?? null };
}
