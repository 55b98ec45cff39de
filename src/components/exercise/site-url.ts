/** A site-relative URL ("/traces/x.json.gz") under the site's base path, as Timeline.astro does it. */
export function siteUrl(path: string): string {
  if (!path.startsWith('/') || path.startsWith('//')) return path;
  const base = (import.meta.env.BASE_URL ?? '/').replace(/\/$/, '');
  return `${base}${path}`;
}
