import type { MeshDocument } from '../model/mesh-document.js';
import type { ResourceSpec } from '../model/resource-spec.js';
import { meshDocumentSchema } from '../schema/mesh-document.js';
import { resourceSpecSchema } from '../schema/resource-spec.js';
import { compileSchemaSubset } from './schema-subset-check.js';
import { invalid, valid, type Validated } from './validated.js';

// Documents meshplug generates, checked by sidecars and plugins as they receive them: no ajv there.
const checkResourceSpec = compileSchemaSubset(resourceSpecSchema);
const checkMeshDocument = compileSchemaSubset(meshDocumentSchema);

/** Validates a ResourceSpec as a plugin receives it from `DISCOVER_URL`. */
export function validateResourceSpec(value: unknown): Validated<ResourceSpec> {
  const issues = checkResourceSpec(value);
  return issues.length > 0 ? invalid(issues) : valid(value as ResourceSpec);
}

/** Validates a MeshDocument as a sidecar receives it from `/v1/mesh/{ns}/{svc}`. */
export function validateMeshDocument(value: unknown): Validated<MeshDocument> {
  const issues = checkMeshDocument(value);
  return issues.length > 0 ? invalid(issues) : valid(value as MeshDocument);
}
