/** Renderers for the site catalog: issue types, priorities, statuses, resolutions, projects. */
import type { SiteState } from '../site/site-state';
import type { IssueType, Priority, Project, Resolution, Status, StatusCategory } from '../site/site-model';

export function renderIssueType(siteUrl: string, type: IssueType): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/issuetype/${type.id}`,
    id: type.id,
    description: type.description,
    iconUrl: type.iconUrl,
    name: type.name,
    subtask: type.subtask,
    hierarchyLevel: type.hierarchyLevel,
  };
}

export function renderPriority(siteUrl: string, priority: Priority): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/priority/${priority.id}`,
    iconUrl: priority.iconUrl,
    name: priority.name,
    id: priority.id,
  };
}

export function renderPriorityDetails(siteUrl: string, priority: Priority, isDefault: boolean): Record<string, unknown> {
  return {
    ...renderPriority(siteUrl, priority),
    description: priority.description,
    statusColor: priority.statusColor,
    isDefault,
  };
}

export function renderStatusCategory(siteUrl: string, category: StatusCategory): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/statuscategory/${category.id}`,
    id: category.id,
    key: category.key,
    colorName: category.colorName,
    name: category.name,
  };
}

export function renderStatus(state: SiteState, status: Status): Record<string, unknown> {
  const siteUrl = state.site.url;
  return {
    self: `${siteUrl}/rest/api/3/status/${status.id}`,
    description: status.description,
    iconUrl: `${siteUrl}/images/icons/statuses/generic.png`,
    name: status.name,
    untranslatedName: status.name,
    id: status.id,
    statusCategory: renderStatusCategory(siteUrl, state.statusCategory(status.categoryId)),
  };
}

export function renderResolution(siteUrl: string, resolution: Resolution): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/resolution/${resolution.id}`,
    id: resolution.id,
    description: resolution.description,
    name: resolution.name,
  };
}

export function projectAvatarUrls(siteUrl: string, project: Project): Record<string, string> {
  const url = (size: string) => `${siteUrl}/rest/api/3/universal_avatar/view/type/project/avatar/10400?size=${size}&pid=${project.id}`;
  return { '16x16': url('xsmall'), '24x24': url('small'), '32x32': url('medium'), '48x48': url('large') };
}

/** The short project form used inside issues and search results. */
export function renderProjectRef(siteUrl: string, project: Project): Record<string, unknown> {
  return {
    self: `${siteUrl}/rest/api/3/project/${project.id}`,
    id: project.id,
    key: project.key,
    name: project.name,
    projectTypeKey: project.projectTypeKey,
    simplified: false,
    avatarUrls: projectAvatarUrls(siteUrl, project),
  };
}
