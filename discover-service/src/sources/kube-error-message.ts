/** A one-line reason for a client-node error (ApiException, watch status error, fetch error). */
export function describeKubeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { statusCode?: number; code?: number | string; body?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.code === 'number' ? e.code : undefined;
  const detail = statusMessage(e.body);
  if (status !== undefined) return `HTTP ${status}${detail ? `: ${detail}` : ''}`;
  return typeof e.code === 'string' ? `${e.code}: ${e.message}` : e.message;
}

/** The `message` of a Kubernetes Status body, if the error carries one. */
function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.slice(0, 200) || undefined;
    }
  }
  if (typeof parsed === 'object' && parsed !== null && typeof (parsed as { message?: unknown }).message === 'string') {
    return (parsed as { message: string }).message;
  }
  return undefined;
}
