import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { runToCompletion } from './children.js';

/** What the figures were measured on: they only mean something next to this. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  node: string;
  haproxy: string;
  dnsmasq: string;
  dnsperf: string;
  wrk: string;
  kernel: string;
}

async function firstLine(command: string, args: string[], pattern: RegExp): Promise<string> {
  try {
    const { stdout, stderr } = await runToCompletion(command, args, 10_000);
    const line = `${stdout}\n${stderr}`.split('\n').find((l) => pattern.test(l));
    return line?.trim() ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

export async function machineInfo(): Promise<MachineInfo> {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  return {
    cpus: availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? 'unknown',
    node: process.version,
    haproxy: await firstLine('haproxy', ['-v'], /version/i),
    dnsmasq: await firstLine('dnsmasq', ['--version'], /version/i),
    dnsperf: await firstLine('dnsperf', ['-h'], /^Version/),
    wrk: await firstLine('wrk', ['-v'], /^wrk/),
    kernel: readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim(),
  };
}

export function formatMachine(m: MachineInfo): string {
  return [
    `machine: ${m.cpus} CPUs, ${m.cpuModel}, Linux ${m.kernel}`,
    `tools:   node ${m.node}; ${m.haproxy}; ${m.dnsmasq}; dnsperf ${m.dnsperf.replace(/^Version\s*/, '')}; ${m.wrk}`,
  ].join('\n');
}
