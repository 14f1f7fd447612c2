import type { ProbeResult } from '../../../discover-service/src/demo/process/wait-until.js';
import { nsExec } from './run-command.js';

/** Ready when `url`, fetched from inside `ns` with curl, answers 200; the value is the body. */
export async function nsHttpOk(ns: string, url: string): Promise<ProbeResult<string>> {
  const r = await nsExec(ns, ['curl', '-s', '-m', '2', '-w', '\n%{http_code}', url], 4000);
  const body = r.stdout.replace(/\n?(\d{3})$/, '');
  const status = /(\d{3})$/.exec(r.stdout)?.[1];
  if (r.code === 0 && status === '200') return { ok: true, value: body };
  return { ok: false, reason: r.code !== 0 ? `curl exit ${r.code} ${r.stderr.trim()}` : `HTTP ${status ?? '?'} ${body.slice(0, 200)}` };
}

/** Ready when the DNS server `server` inside `ns` answers `A` for `name` (dig); the value is the first address. */
export async function nsDigA(ns: string, server: string, name: string): Promise<ProbeResult<string>> {
  const r = await nsExec(ns, ['dig', '+short', '+time=1', '+tries=1', `@${server}`, name, 'A'], 4000);
  const address = r.stdout.split('\n').find((l) => /^\d+\.\d+\.\d+\.\d+$/.test(l.trim()));
  if (r.code === 0 && address !== undefined) return { ok: true, value: address.trim() };
  return { ok: false, reason: `dig exit ${r.code}: ${(r.stdout + r.stderr).trim().slice(0, 200) || 'no address'}` };
}
