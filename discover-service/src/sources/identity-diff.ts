import type { KubeObject } from '@meshplug/plugin-api';

/** What a re-read changed in one kind: objects to write and objects that are gone. */
export interface IdentityDiff {
  upserts: KubeObject[];
  removals: KubeObject[];
}

const keyOf = (o: KubeObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * The change from `before` to `after` for a source that hands back the very same object for an
 * unchanged one (the file source's document cache): new identities are upserts, and an old object
 * whose key no new object has is a removal. Costs a Set of identities, plus keys of the changed
 * objects only, instead of a key and a comparison for every object of the kind.
 */
export function identityDiff(before: readonly KubeObject[], after: readonly KubeObject[]): IdentityDiff {
  const kept = new Set(before);
  const upserts = after.filter((o) => !kept.has(o));
  const current = new Set(after);
  const gone = before.filter((o) => !current.has(o));
  if (gone.length === 0) return { upserts, removals: [] };
  const rewritten = new Set(upserts.map(keyOf));
  return { upserts, removals: gone.filter((o) => !rewritten.has(keyOf(o))) };
}
