import { execFile } from 'node:child_process';

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion (no shell), killed after `timeoutMs`; never rejects for a non-zero exit. */
export function runCommand(command: string, args: readonly string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8', ...(env ? { env } : {}) }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1;
      resolve({ code, stdout, stderr: err !== null && stderr === '' ? err.message : stderr });
    });
  });
}

/** Like runCommand, but throws with the output when the command fails: for setup steps. */
export async function mustRun(command: string, args: readonly string[], timeoutMs = 10_000): Promise<string> {
  const r = await runCommand(command, args, timeoutMs);
  if (r.code !== 0) throw new Error(`${command} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

/** `ip netns exec <ns> <command...>` to completion. */
export function nsExec(ns: string, argv: readonly string[], timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<CommandResult> {
  return runCommand('ip', ['netns', 'exec', ns, ...argv], timeoutMs, env);
}
