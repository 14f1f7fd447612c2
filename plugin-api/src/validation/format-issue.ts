import type { ValidationIssue } from './validated.js';

/**
 * One line a person can act on:
 * `ConfigMap shop/component-web: component.yaml: plugins[0].version: must be a non-empty string`.
 */
export function formatIssue(objectRef: string, issue: ValidationIssue): string {
  const parts = [objectRef];
  if (issue.key !== undefined && issue.key !== '') parts.push(issue.key);
  if (issue.path !== '') parts.push(issue.path);
  parts.push(issue.reason);
  return parts.join(': ');
}
