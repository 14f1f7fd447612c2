import { Ajv2020 } from 'ajv/dist/2020.js';
import t from 'tap';
import { componentSpecSchema } from '../../src/schema/component-spec.js';
import { meshDocumentSchema } from '../../src/schema/mesh-document.js';
import { pluginVersionSchema } from '../../src/schema/plugin-version.js';
import { resourceSpecSchema } from '../../src/schema/resource-spec.js';

const schemas = { pluginVersionSchema, componentSpecSchema, resourceSpecSchema, meshDocumentSchema };

/** Keywords OpenAPI 3.0 schema objects lack or treat differently; the schemas avoid them. */
const NOT_OPENAPI = ['$ref', '$id', '$schema', '$defs', 'definitions', 'const', 'if', 'then', 'else', 'patternProperties', 'propertyNames'];

function keywords(node: unknown, found: Set<string>): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => keywords(n, found));
  else if (typeof node === 'object' && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      found.add(key);
      keywords(value, found);
    }
  }
  return found;
}

for (const [name, schema] of Object.entries(schemas)) {
  t.test(`${name} is plain JSON usable by OpenAPI and by a 2020-12 validator`, async (t) => {
    t.strictSame(JSON.parse(JSON.stringify(schema)), schema, 'survives JSON');
    const used = keywords(schema, new Set());
    t.strictSame(NOT_OPENAPI.filter((k) => used.has(k)), [], 'no keywords OpenAPI 3.0 lacks');
    const ajv = new Ajv2020({ strict: true, validateFormats: false });
    t.doesNotThrow(() => ajv.compile(schema));
  });
}
