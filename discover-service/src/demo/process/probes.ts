import { Resolver } from 'node:dns/promises';
import type { ProbeResult } from './wait-until.js';

/** Bound on one probe attempt, ms. */
const ATTEMPT_TIMEOUT_MS = 1000;

function why(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string }; code?: string };
  return e.cause?.code ?? e.cause?.message ?? e.code ?? e.message;
}

/** Ready when `url` answers 200 (discover-service `/readyz`, mesh-proxy `/ready`). */
export async function httpOk(url: string): Promise<ProbeResult<string>> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS) });
    const body = await res.text();
    if (res.status === 200) return { ok: true, value: body };
    return { ok: false, reason: `HTTP ${res.status} ${body.slice(0, 200)}` };
  } catch (err) {
    return { ok: false, reason: why(err) };
  }
}

/** Ready when the DNS server at `server` (`IP:PORT`) answers `A` for `name`; the value is the addresses. */
export async function dnsAnswers(server: string, name: string): Promise<ProbeResult<string[]>> {
  const resolver = new Resolver({ timeout: ATTEMPT_TIMEOUT_MS, tries: 1 });
  resolver.setServers([server]);
  try {
    const addresses = await resolver.resolve4(name);
    return addresses.length > 0 ? { ok: true, value: addresses } : { ok: false, reason: 'no addresses' };
  } catch (err) {
    return { ok: false, reason: why(err) };
  }
}
