import type { CliIo } from '../../src/cli/cli-io.js';

/** A CliIo that records what a command prints. */
export function captureIo(env: NodeJS.ProcessEnv = {}, now = Date.parse('2025-01-01T00:01:00Z')): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
    env,
    now: () => now,
    out: () => out,
    err: () => err,
  };
}
