/** One problem found in an object a user wrote, precise enough to act on. */
export interface ValidationIssue {
  /** Where, as a readable path: `configGroups[0].items[1].default`; empty for the whole object. */
  path: string;
  /** What is wrong, as a sentence fragment: `must be one of env, discover`. */
  reason: string;
  /**
   * The ConfigMap data key (`plugin.yaml`, `component.yaml`) the path points into; absent when the
   * path is on the ConfigMap object itself (`immutable`, `metadata.labels[...]`).
   */
  key?: string;
}

/** The outcome of validating untrusted input: the typed value, or every issue found. */
export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

export function valid<T>(value: T): Validated<T> {
  return { ok: true, value };
}

export function invalid<T>(issues: ValidationIssue[]): Validated<T> {
  return { ok: false, issues };
}
