import t from 'tap';
import { meshDocumentSchema } from '../../src/schema/mesh-document.js';
import { resourceSpecSchema } from '../../src/schema/resource-spec.js';
import { compileSchemaSubset } from '../../src/validation/schema-subset-check.js';
import { compileSchema, type SchemaCheck } from '../../src/validation/schema-validator.js';
import type { ValidationIssue } from '../../src/validation/validated.js';

/*
 * The two checkers of one schema (ajv, and the ajv-free subset checker sidecars use) must agree:
 * every key of a valid document is replaced by each bad value below, or removed, and both must
 * report the same issues.
 */

const meshDocument = {
  version: 'abc',
  namespace: 'shop',
  service: 'web',
  inbound: [{ name: 'http', port: 8080, outerPort: 65301, protocol: 'http', mode: 'http', options: { OPEN_LIMIT: 'NO' } }],
  outbound: [
    {
      name: 'shop/tomcat:8080',
      namespace: 'shop',
      service: 'tomcat',
      vip: '127.1.2.3',
      port: 8080,
      portName: 'http',
      protocol: 'http',
      mode: 'http',
      policy: 'round_robin',
      options: { Weight: '100' },
      endpoints: [{ address: '127.0.1.11', port: 65301, ready: true, serving: true, terminating: false, weight: 100, zone: 'a' }],
    },
  ],
  dns: {
    records: [{ names: ['tomcat'], service: 'shop/tomcat', address: '127.1.2.3', ports: [{ name: 'http', port: 8080, protocol: 'http' }] }],
    searches: ['shop.svc.cluster.local'],
    upstream: ['10.96.0.10:53'],
    clusterDomain: 'cluster.local',
    ttl: 5,
  },
};

const resourceSpec = {
  base_ports: [{ service_alias: 'a', service_id: 'u1', port: 8080, listen_port: 20080, protocol: 'http', options: { K: 'v' } }],
  base_services: [
    { service_alias: 'a', service_id: 'u1', depend_service_alias: 'b', depend_service_id: 'u2', port: 8080, protocol: 'http', options: {} },
  ],
  base_normal: { options: { LOG_LEVEL: 'info' } },
};

const BAD_VALUES: unknown[] = [null, true, 0, -1, 1.5, 70_000, '', 'x', '999.1.1.1', [], [1], {}, { k: 1 }];

/** Every variant of `doc` with one key replaced by a bad value or removed. */
function* variants(doc: unknown): Generator<{ what: string; doc: unknown }> {
  function* walk(node: unknown, path: (string | number)[]): Generator<(string | number)[]> {
    if (typeof node !== 'object' || node === null) return;
    for (const key of Array.isArray(node) ? node.keys() : Object.keys(node)) {
      yield [...path, key];
      yield* walk((node as Record<string | number, unknown>)[key], [...path, key]);
    }
  }
  for (const path of walk(doc, [])) {
    for (const bad of [...BAD_VALUES, undefined]) {
      const copy = structuredClone(doc) as Record<string | number, unknown>;
      let parent = copy;
      for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
      const last = path.at(-1) as string | number;
      if (bad === undefined) delete parent[last];
      else parent[last] = bad;
      yield { what: `${path.join('.')} = ${bad === undefined ? '(removed)' : JSON.stringify(bad)}`, doc: copy };
    }
  }
}

const sorted = (issues: ValidationIssue[]): string[] => issues.map((i) => `${i.path} ${i.reason}`).sort();

for (const [name, schema, valid] of [
  ['MeshDocument', meshDocumentSchema, meshDocument],
  ['ResourceSpec', resourceSpecSchema, resourceSpec],
] as const) {
  t.test(`${name}: the subset checker reports what ajv reports`, async (t) => {
    const ajv: SchemaCheck = compileSchema(schema);
    const subset: SchemaCheck = compileSchemaSubset(schema);
    t.same(subset(valid), [], 'the valid document passes');
    t.same(subset({ ...valid, newerField: 1 }), [], 'unknown keys are tolerated');
    let compared = 0;
    let disagreements = 0;
    for (const { what, doc } of variants(valid)) {
      const expected = sorted(ajv(doc));
      const got = sorted(subset(doc));
      compared++;
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        disagreements++;
        t.same(got, expected, what);
      }
    }
    t.equal(disagreements, 0, `${compared} variants compared`);
    t.ok(compared > 250, "a real corpus");
  });
}

t.test('a keyword the subset checker does not implement is refused when the schema is built', async (t) => {
  t.throws(() => compileSchemaSubset({ type: 'object', properties: { a: { type: 'string', oneOf: [] } } }), /keyword oneOf .* not supported/);
  t.throws(() => compileSchemaSubset({ type: 'string', format: 'email' }), /format email/);
});
