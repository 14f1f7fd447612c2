/**
 * Schema fragments shared by the data-model schemas. Plain JSON Schema (draft-07 subset without
 * `$ref`), so the same objects serve ajv and the OpenAPI documents of the HTTP API.
 */

/** DNS-1123 label: plugin, group and Service names. */
export const DNS_LABEL_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
/** DNS-1123 subdomain: ConfigMap names. */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
/** Kubernetes label value: a plugin version must be one, since it is the `mesh.io/plugin-version` label. */
export const LABEL_VALUE_PATTERN = '^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$';
/** Kubernetes resource quantity (`64Mi`, `100m`, `0.5`, `1e3`), non-negative. */
export const QUANTITY_PATTERN = '^\\+?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(([KMGTPE]i)|[numkMGTPE]|([eE][+-]?[0-9]+))?$';
/** Protocol names are compared as written, so they must be lower-case (`http`, `grpc`, `tcp`). */
export const PROTOCOL_PATTERN = '^[a-z][a-z0-9._-]*$';
/** Item names become environment variables (env injection) or option keys (discover injection). */
export const ITEM_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_.-]*$';

/** The reason shown to a person when a value does not match one of the patterns above. */
export const PATTERN_REASONS: Readonly<Record<string, string>> = Object.freeze({
  [DNS_LABEL_PATTERN]:
    "must be a DNS-1123 label (lower-case letters, digits and '-', starting and ending with a letter or digit)",
  [DNS_SUBDOMAIN_PATTERN]:
    "must be a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', starting and ending with a letter or digit)",
  [LABEL_VALUE_PATTERN]:
    "must be a valid Kubernetes label value (letters, digits, '-', '_' and '.', starting and ending with a letter or digit)",
  [QUANTITY_PATTERN]: 'must be a Kubernetes quantity such as 64Mi, 1Gi, 100m or 0.5',
  [PROTOCOL_PATTERN]: 'must be a lower-case protocol name such as http, grpc or tcp',
  [ITEM_NAME_PATTERN]: "must start with a letter or '_' and contain only letters, digits, '_', '.' and '-'",
});

export const dnsLabelSchema = { type: 'string', minLength: 1, maxLength: 63, pattern: DNS_LABEL_PATTERN } as const;
export const dnsSubdomainSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: DNS_SUBDOMAIN_PATTERN,
} as const;
export const labelValueSchema = { type: 'string', minLength: 1, maxLength: 63, pattern: LABEL_VALUE_PATTERN } as const;
export const quantitySchema = { type: 'string', minLength: 1, pattern: QUANTITY_PATTERN } as const;
export const protocolSchema = { type: 'string', minLength: 1, pattern: PROTOCOL_PATTERN } as const;
export const portSchema = { type: 'integer', minimum: 1, maximum: 65535 } as const;
export const stringMapSchema = { type: 'object', additionalProperties: { type: 'string' } } as const;
