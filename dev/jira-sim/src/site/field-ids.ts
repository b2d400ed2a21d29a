/** Custom field ids of the demo site, numbered as a fresh Jira Cloud software site numbers them. */
export const FieldId = {
  StartDate: 'customfield_10015',
  StoryPoints: 'customfield_10016',
  Rank: 'customfield_10019',
  Sprint: 'customfield_10020',
  DeployedAt: 'customfield_10030',
  AffectedUsers: 'customfield_10031',
  Environment: 'customfield_10032',
  Platforms: 'customfield_10033',
  Area: 'customfield_10034',
  Reviewer: 'customfield_10035',
  CustomerTags: 'customfield_10036',
  /** Team-managed projects' estimate; on the site only once a board is set to estimate with it. */
  StoryPointEstimate: 'customfield_10037',
} as const;
