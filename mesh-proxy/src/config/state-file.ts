import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatIssue, validateMeshDocument, type MeshDocument } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';

export const STATE_FILE_NAME = 'mesh.json';

/**
 * The last applied document, kept so a restarted sidecar can serve while
 * discover-service is unreachable. Written tmp + rename so a crash mid-write
 * never leaves a torn file behind.
 */
export class StateFile {
  readonly path: string;

  constructor(private readonly dir: string) {
    this.path = join(dir, STATE_FILE_NAME);
  }

  async write(doc: MeshDocument): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    await writeFile(tmp, JSON.stringify(doc), { mode: 0o600 });
    await rename(tmp, this.path);
  }

  /** undefined when there is no file; throws MESH_ERR_STATE_FILE when it is not a mesh document. */
  async read(): Promise<MeshDocument | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new MeshProxyErrors.MESH_ERR_STATE_FILE(`${this.path}: ${(err as Error).message}`, { cause: err });
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new MeshProxyErrors.MESH_ERR_STATE_FILE(`${this.path}: not JSON`, { cause: err });
    }
    const checked = validateMeshDocument(doc);
    if (!checked.ok) {
      throw new MeshProxyErrors.MESH_ERR_STATE_FILE(checked.issues.map((i) => formatIssue(this.path, i)).join('; '));
    }
    return checked.value;
  }
}
