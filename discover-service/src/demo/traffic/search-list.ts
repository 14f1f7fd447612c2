/**
 * The names a stub resolver tries for `name`, as resolv.conf(5) says: a name
 * with a trailing dot is tried alone; one with at least `ndots` dots is tried
 * as is first, then with each search domain; any other name is tried with each
 * search domain first and as is last.
 */
export function searchCandidates(name: string, searches: readonly string[], ndots: number): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const dots = name.split('.').length - 1;
  const searched = searches.map((domain) => `${name}.${domain}`);
  return dots >= ndots ? [name, ...searched] : [...searched, name];
}
