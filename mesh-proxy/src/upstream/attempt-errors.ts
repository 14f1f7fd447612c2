import type { MeshplugError } from '@meshplug/plugin-api';
import { MeshProxyErrors } from '../errors.js';
import type { AttemptOutcome } from '../policy/retry-on.js';

/** Status codes as metric labels, made once. */
const STATUS_LABELS: readonly string[] = Array.from({ length: 600 }, (_, i) => String(i));

export function statusLabel(code: number): string {
  return STATUS_LABELS[code] ?? String(code);
}

/** The proxy error a request gets when its last attempt ended with `outcome`. */
export function errorFor(outcome: AttemptOutcome): MeshplugError {
  switch (outcome) {
    case 'timeout':
      return new MeshProxyErrors.MESH_ERR_TIMEOUT();
    case 'connect-failure':
      return new MeshProxyErrors.MESH_ERR_CONNECT_FAILURE();
    case 'overflow':
      return new MeshProxyErrors.MESH_ERR_OVERFLOW();
    default:
      return new MeshProxyErrors.MESH_ERR_UPSTREAM_RESET(typeof outcome === 'number' ? `status ${outcome}` : outcome);
  }
}
