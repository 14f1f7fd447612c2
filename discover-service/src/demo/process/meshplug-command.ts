import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildSpec } from './managed-child.js';

/** The repository root: this file is `discover-service/{src,dist}/demo/process/`. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** `bin/meshplug.js`, the executable every part is started with. */
export const MESHPLUG_BIN = join(REPO_ROOT, 'bin', 'meshplug.js');

/**
 * The environment children get: enough to run node, nothing else. In
 * particular no `MESHPLUG_*` variable of the caller's shell leaks into a child's
 * flags, and no test-runner loader or coverage hook rides along.
 */
export function childEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ'];
  const env: NodeJS.ProcessEnv = {};
  for (const key of keep) if (process.env[key] !== undefined) env[key] = process.env[key];
  return { ...env, ...extra };
}

/**
 * `node bin/meshplug.js <command> <args>`, exactly what a user runs; `prefix`
 * runs it through a wrapper such as `ip netns exec <ns>`.
 */
export function meshplugCommand(
  name: string,
  command: string,
  args: readonly string[],
  options: { prefix?: readonly string[]; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {},
): ChildSpec {
  const argv = [process.execPath, MESHPLUG_BIN, command, ...args];
  const [first, ...rest] = [...(options.prefix ?? []), ...argv];
  return {
    name,
    command: first as string,
    args: rest,
    cwd: REPO_ROOT,
    env: childEnv(options.env),
    ...(options.onLine === undefined ? {} : { onLine: options.onLine }),
  };
}

/** `node <file> <args>` for a plain script (the demo app), built like meshplugCommand. */
export function nodeScript(
  name: string,
  script: string,
  args: readonly string[],
  options: { prefix?: readonly string[]; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {},
): ChildSpec {
  const [first, ...rest] = [...(options.prefix ?? []), process.execPath, script, ...args];
  return {
    name,
    command: first as string,
    args: rest,
    cwd: REPO_ROOT,
    env: childEnv(options.env),
    ...(options.onLine === undefined ? {} : { onLine: options.onLine }),
  };
}
