/** Whether Teams would unfurl a link to `url` for these manifest domains (`*.` matches one or more labels). */
export function matchesLinkDomain(url: string, domains: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(url).host.toLowerCase();
  } catch {
    return false;
  }
  return domains.some((domain) => {
    const d = domain.toLowerCase();
    if (d.startsWith('*.')) return host.endsWith(d.slice(1)) && host.length > d.length - 1;
    return host === d;
  });
}
