import { parse } from 'yaml';
import type { ConfigMap } from '../../src/model/kube.js';

/** The design's plugin version example, exactly as written in DESIGN.md. */
export const PLUGIN_YAML = `name: net-governance
version: "1.0.0"
type: net-inout
image: meshplug/mesh-proxy:1.0.0
memory: 64Mi
configGroups:
  - name: inbound
    metaType: component-port
    injection: discover
    items:
      - { name: OPEN_LIMIT, type: radio, options: ["YES", "NO"], default: "NO", protocols: [http] }
  - name: outbound
    metaType: downstream-port
    injection: discover
    items:
      - { name: LBPolicy, type: radio, options: [round_robin, least_request, peak_ewma, random], default: round_robin }
      - { name: Weight, type: string, default: "100" }
  - name: general
    metaType: none
    injection: env
    items:
      - { name: LOG_LEVEL, type: radio, options: [debug, info, warn, error], default: info }
`;

/** The design's component example, exactly as written in DESIGN.md. */
export const COMPONENT_YAML = `dependencies: [tomcat, redis.cache]  # name (same namespace) or name.namespace, optionally :port
plugins:
  - name: net-governance
    version: "1.0.0"
    enabled: true
    values:
      normal:   { LOG_LEVEL: debug }                 # items of metaType none, by name
      ports:    { "8080": { OPEN_LIMIT: "YES" } }    # items of metaType component-port, per port
      services: { "tomcat:8080": { LBPolicy: least_request } }  # metaType downstream-port, per dependency port
valuesFrom: [{ configMap: mesh-global, prefix: "global." }]
`;

export function pluginConfigMap(overrides: Partial<ConfigMap> = {}): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: 'plugin-net-governance-1.0.0',
      namespace: 'meshplug-system',
      labels: { 'mesh.io/plugin': 'net-governance', 'mesh.io/plugin-version': '1.0.0' },
    },
    immutable: true,
    data: { 'plugin.yaml': PLUGIN_YAML },
    ...overrides,
  };
}

export function componentConfigMap(overrides: Partial<ConfigMap> = {}): ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'component-web', namespace: 'shop', labels: { 'mesh.io/component': 'web' } },
    data: { 'component.yaml': COMPONENT_YAML },
    ...overrides,
  };
}

/** A fresh parsed copy of the plugin example, for a test to break. */
export function pluginDoc(): Record<string, any> {
  return parse(PLUGIN_YAML) as Record<string, any>;
}

/** A fresh parsed copy of the component example, for a test to break. */
export function componentDoc(): Record<string, any> {
  return parse(COMPONENT_YAML) as Record<string, any>;
}
