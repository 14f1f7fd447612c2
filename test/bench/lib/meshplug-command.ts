import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildSpec } from './children.js';

/** The repository root (test/bench/lib -> ../../..). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** `node bin/meshplug.js <command> ...`, exactly what a user runs (built by `tsc -b` first). */
export function meshplugCommand(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildSpec {
  return {
    name,
    command: process.execPath,
    args: [join(REPO_ROOT, 'bin', 'meshplug.js'), command, ...args],
    cwd: REPO_ROOT,
    // Plain JSON logs (no pino-pretty worker) and no inherited MESHPLUG_* flags from the caller's shell.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_ENV: 'production', ...env },
  };
}

/** `node --import tsx <script>` for the benchmark's own helper processes (upstream servers). */
export function tsxScript(name: string, script: string, args: readonly string[] = []): ChildSpec {
  return { name, command: process.execPath, args: ['--import', 'tsx', script, ...args], cwd: REPO_ROOT };
}
