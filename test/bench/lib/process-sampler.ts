import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Memory and CPU of one process over a window. */
export interface ProcessUsage {
  /** Largest VmRSS seen, MiB. */
  rssMaxMiB: number;
  /**
   * Largest RssAnon (private memory) and RssFile (mapped files: mostly the node or haproxy binary, shared by
   * every process of the same image, so a pod's memory cgroup pays for it once) seen, MiB.
   */
  rssAnonMaxMiB: number;
  rssFileMaxMiB: number;
  /** Mean of the samples, MiB. */
  rssMeanMiB: number;
  /** (utime + stime) over the window / wall time: 1.0 is one core fully busy. */
  cpuCores: number;
  samples: number;
}

let clockTicks: number | undefined;

/** USER_HZ, the unit of utime/stime in /proc/<pid>/stat. */
function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

/** VmRSS of a live process, MiB. */
export function readRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) / 1024;
}

/** VmRSS and its anonymous and file-backed parts of a live process, MiB. */
export function readMemoryMiB(pid: number): { rss: number; anon: number; file: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => {
    const value = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(status)?.[1];
    if (value === undefined) throw new Error(`no ${field} for pid ${pid}`);
    return Number(value) / 1024;
  };
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/** utime + stime of a process, seconds. */
export function readCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name may hold spaces and parentheses: fields are counted after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of proc(5); fields[0] here is field 3.
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
}

/** Samples RSS every `intervalMs` and the CPU time between start() and stop(). */
export class ProcessSampler {
  readonly #pid: number;
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | undefined;
  #rss: number[] = [];
  #anonMax = 0;
  #fileMax = 0;
  #cpuStart = 0;
  #wallStart = 0;

  constructor(pid: number, intervalMs = 200) {
    this.#pid = pid;
    this.#intervalMs = intervalMs;
  }

  start(): void {
    this.#rss = [];
    this.#anonMax = 0;
    this.#fileMax = 0;
    this.#sample();
    this.#cpuStart = readCpuSeconds(this.#pid);
    this.#wallStart = performance.now();
    this.#timer = setInterval(() => {
      try {
        this.#sample();
      } catch {
        // The process died; stop() reports what was seen.
      }
    }, this.#intervalMs);
  }

  #sample(): void {
    const m = readMemoryMiB(this.#pid);
    this.#rss.push(m.rss);
    this.#anonMax = Math.max(this.#anonMax, m.anon);
    this.#fileMax = Math.max(this.#fileMax, m.file);
  }

  stop(): ProcessUsage {
    clearInterval(this.#timer);
    const wallSeconds = (performance.now() - this.#wallStart) / 1000;
    const cpu = readCpuSeconds(this.#pid) - this.#cpuStart;
    this.#sample();
    const total = this.#rss.reduce((sum, v) => sum + v, 0);
    return {
      rssMaxMiB: Math.max(...this.#rss),
      rssMeanMiB: total / this.#rss.length,
      rssAnonMaxMiB: this.#anonMax,
      rssFileMaxMiB: this.#fileMax,
      cpuCores: wallSeconds > 0 ? cpu / wallSeconds : 0,
      samples: this.#rss.length,
    };
  }
}
