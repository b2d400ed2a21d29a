/**
 * What a person is called when Jira withholds their name. Profile visibility lets Jira answer
 * `displayName: null` (or leave it out) for an account it still names by id: that person is
 * someone, never "Unassigned", and their account id or email means nothing to a reader and is
 * personal data, so neither stands in. Alerts name such a person the same way.
 */
export const UNNAMED_PERSON = 'Someone';
