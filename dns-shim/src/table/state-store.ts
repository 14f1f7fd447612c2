import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DnsTable } from '@meshplug/plugin-api';
import { DnsShimErrors } from '../errors.js';

/** mesh-proxy's last applied MeshDocument (it owns this file; dns-shim only reads it). */
export const MESH_STATE_FILE = 'mesh.json';
/** dns-shim's own last applied table, written when it got a version mesh-proxy has not saved. */
export const DNS_STATE_FILE = 'dns.json';

/** A table as kept on disk: `dns.json` holds exactly this; from `mesh.json` it is read out of the document. */
export interface SavedTable {
  version: string;
  dns: DnsTable;
  /** The file it came from. */
  file: string;
}

/**
 * The state dir shared with mesh-proxy. At start the newer of `mesh.json`
 * and `dns.json` (by modification time) is the table to serve until
 * discover-service answers.
 */
export class StateStore {
  constructor(private readonly dir: string) {}

  /** The newest saved table, or undefined when neither file exists; unreadable files are reported in `problems`. */
  async load(): Promise<{ saved: SavedTable | undefined; problems: Error[] }> {
    const problems: Error[] = [];
    const found: { saved: SavedTable; mtimeMs: number }[] = [];
    for (const name of [MESH_STATE_FILE, DNS_STATE_FILE]) {
      try {
        const got = await this.read(name);
        if (got !== undefined) found.push(got);
      } catch (err) {
        problems.push(err as Error);
      }
    }
    found.sort((a, b) => b.mtimeMs - a.mtimeMs);
    return { saved: found[0]?.saved, problems };
  }

  /** Writes `dns.json` atomically (tmp + rename): a crash mid-write never leaves a torn file. */
  async save(version: string, dns: DnsTable): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, DNS_STATE_FILE);
    const tmp = `${path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify({ version, dns }), { mode: 0o600 });
    await rename(tmp, path);
  }

  private async read(name: string): Promise<{ saved: SavedTable; mtimeMs: number } | undefined> {
    const file = join(this.dir, name);
    let text: string;
    let mtimeMs: number;
    try {
      [text, { mtimeMs }] = await Promise.all([readFile(file, 'utf8'), stat(file)]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new DnsShimErrors.DNS_ERR_STATE_FILE(`${file}: ${(err as Error).message}`, { cause: err });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new DnsShimErrors.DNS_ERR_STATE_FILE(`${file}: not JSON`, { cause: err });
    }
    const d = doc as { version?: unknown; dns?: unknown } | null;
    if (typeof d !== 'object' || d === null || typeof d.version !== 'string' || typeof d.dns !== 'object' || d.dns === null) {
      throw new DnsShimErrors.DNS_ERR_STATE_FILE(`${file}: no version and dns table`);
    }
    return { saved: { version: d.version, dns: d.dns as DnsTable, file }, mtimeMs };
  }
}
