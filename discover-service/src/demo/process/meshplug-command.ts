import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildSpec } from './managed-child.js';

/** The repository root: this file is `discover-service/{src,dist}/demo/process/`. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');

/** `bin/meshplug.js`, the executable every part is started with. */
export const MESHPLUG_BIN = join(REPO_ROOT, 'bin', 'meshplug.js');

/** The demo app (built; children run plain node): an HTTP server answering its pod name, optional TCP echo. */
export const DEMO_APP_SCRIPT = join(REPO_ROOT, 'discover-service', 'dist', 'demo', 'app', 'demo-app-main.js');

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

/** How a child is wrapped and what it adds to {@link childEnv}. */
export interface CommandOptions {
  /** A wrapper the command runs through, e.g. `['ip', 'netns', 'exec', 'mp-e2e-web']`. */
  prefix?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** node's own flags, before the script (e.g. `--import tsx` for a TypeScript helper). */
  nodeArgs?: readonly string[];
  onLine?: (line: string) => void;
}

/** `node <script> <args>` with the environment of {@link childEnv}. */
export function nodeScript(name: string, script: string, args: readonly string[], options: CommandOptions = {}): ChildSpec {
  const [first, ...rest] = [...(options.prefix ?? []), process.execPath, ...(options.nodeArgs ?? []), script, ...args];
  return {
    name,
    command: first as string,
    args: rest,
    cwd: REPO_ROOT,
    env: childEnv(options.env),
    ...(options.onLine === undefined ? {} : { onLine: options.onLine }),
  };
}

/** `node bin/meshplug.js <command> <args>`, exactly what a user runs. */
export function meshplugCommand(name: string, command: string, args: readonly string[], options: CommandOptions = {}): ChildSpec {
  return nodeScript(name, MESHPLUG_BIN, [command, ...args], options);
}
