/** A `meta/v1 Status`, the body of every error answer (and of a 410 watch ERROR event). */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string };
  code: number;
}

export function failure(
  code: number,
  reason: string,
  message: string,
  details?: { name?: string; group?: string; kind?: string },
): Status {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}

/** The watch ERROR object for a resourceVersion older than the retained window (watch cache wording). */
export function expired(requested: string, oldest: number): Status {
  return failure(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
}

/** Thrown inside the fake to answer with a Status; the server turns it into the HTTP answer. */
export class ApiError extends Error {
  readonly status: Status;

  constructor(status: Status) {
    super(status.message);
    this.status = status;
  }
}
