/** `ETag` header value of a config version. */
export function formatEtag(version: string): string {
  return `"${version}"`;
}

/**
 * Versions named by an `If-None-Match` header: a comma-separated list of
 * (optionally weak) quoted tags; bare tokens are accepted too, since some
 * hand-written clients forget the quotes. `*` matches any version.
 */
export function parseIfNoneMatch(header: string | string[] | undefined): string[] {
  if (header === undefined) return [];
  const joined = Array.isArray(header) ? header.join(',') : header;
  const tags: string[] = [];
  for (const raw of joined.split(',')) {
    let tag = raw.trim();
    if (tag.startsWith('W/')) tag = tag.slice(2);
    if (tag.length >= 2 && tag.startsWith('"') && tag.endsWith('"')) tag = tag.slice(1, -1);
    if (tag !== '') tags.push(tag);
  }
  return tags;
}

/** Whether a client holding `tags` already has `version`. */
export function etagMatches(tags: readonly string[], version: string): boolean {
  return tags.includes('*') || tags.includes(version);
}
