/**
 * The one base error of meshplug. Every package's catalogue extends it, so
 * callers can branch on `code` and logs carry a stable identifier.
 */
export class MeshplugError extends Error {
  /** Stable machine-readable code, e.g. `DISC_ERR_NOT_FOUND`. */
  readonly code: string;
  /** HTTP status this error maps to when it reaches an HTTP boundary. */
  readonly statusCode: number;

  constructor(code: string, message: string, options?: { cause?: unknown; statusCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.statusCode = options?.statusCode ?? 500;
  }

  toJSON(): { code: string; message: string } {
    return { code: this.code, message: this.message };
  }
}

/** One entry of an error catalogue: a code, a status and a message template. */
export interface ErrorDefinition {
  readonly code: string;
  readonly statusCode: number;
  readonly message: string;
}

export type ErrorFactory = new (detail?: string, options?: { cause?: unknown }) => MeshplugError;

/**
 * Builds one error class per catalogue entry, fastify-style (`createError`):
 * `new Errors.DISC_ERR_NOT_FOUND('shop/web')` gives a MeshplugError with the
 * entry's code and status and the message `template: detail`.
 */
export function createErrorCatalogue<K extends string>(
  defs: Record<K, { statusCode: number; message: string }>,
): { readonly [P in K]: ErrorFactory } {
  const out = {} as Record<K, ErrorFactory>;
  for (const code of Object.keys(defs) as K[]) {
    const def = defs[code];
    const cls = class extends MeshplugError {
      constructor(detail?: string, options?: { cause?: unknown }) {
        super(code, detail === undefined ? def.message : `${def.message}: ${detail}`, {
          statusCode: def.statusCode,
          cause: options?.cause,
        });
      }
    };
    Object.defineProperty(cls, 'name', { value: code });
    out[code] = cls;
  }
  return Object.freeze(out);
}
