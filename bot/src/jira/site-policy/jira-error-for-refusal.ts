import { JiraError, JiraErrorCode } from '../jira-error';
import { SitePolicyErrorCode, type SitePolicyError } from './site-policy-error';

/**
 * A refused Jira call as the coded error callers already handle: Rejected, with a detail that
 * names the site (the user sees it as "Jira could not do that: ..."). A JiraError also stops the
 * pipeline's retries, which would only be refused again.
 */
export function jiraErrorForRefusal(refusal: SitePolicyError, status?: number): JiraError {
  return new JiraError(JiraErrorCode.Rejected, { status, detail: refusalDetail(refusal, status), cause: refusal });
}

function refusalDetail(refusal: SitePolicyError, status?: number): string {
  switch (refusal.code) {
    case SitePolicyErrorCode.NotAllowed:
      return `${refusal.site} is not an allowed Jira site.`;
    case SitePolicyErrorCode.AddressRefused:
      return `${refusal.site} resolves to a private or internal address, which this app does not call.`;
    case SitePolicyErrorCode.Redirected:
      return `${refusal.site} answered with a redirect${status ? ` (HTTP ${status})` : ''}, which this app does not follow.`;
    default: {
      const unknown: never = refusal.code;
      return `${refusal.site} was refused (${String(unknown)}).`;
    }
  }
}
