import { dnsLabelSchema, dnsSubdomainSchema, labelValueSchema, quantitySchema, stringMapSchema } from './common.js';

/** Values one component sets for one plugin (`PluginValues`); keys are checked against the plugin. */
export const pluginValuesSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    normal: { ...stringMapSchema, description: 'Items of metaType none, by name.' },
    ports: {
      type: 'object',
      description: 'Items of metaType component-port, per app port ("8080").',
      additionalProperties: stringMapSchema,
    },
    services: {
      type: 'object',
      description: 'Items of metaType downstream-port, per dependency port ("tomcat:8080").',
      additionalProperties: stringMapSchema,
    },
  },
} as const;

/** One plugin a component runs (`ComponentPlugin`). */
export const componentPluginSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'version'],
  properties: {
    name: dnsLabelSchema,
    version: labelValueSchema,
    enabled: { type: 'boolean', description: 'Defaults to true.' },
    memory: quantitySchema,
    cpu: quantitySchema,
    values: pluginValuesSchema,
  },
} as const;

/** A shared ConfigMap merged into the component's values (`ValuesFrom`). */
export const valuesFromSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['configMap'],
  properties: {
    configMap: dnsSubdomainSchema,
    prefix: { type: 'string' },
  },
} as const;

/** A component: the `component.yaml` key of a component ConfigMap (`ComponentSpec`). */
export const componentSpecSchema = {
  type: 'object',
  title: 'ComponentSpec',
  description: 'A mesh component (ConfigMap key component.yaml, labelled mesh.io/component).',
  additionalProperties: false,
  properties: {
    dependencies: {
      type: 'array',
      description: 'Downstream services: name, name.namespace, optionally :port.',
      items: { type: 'string', minLength: 1 },
    },
    plugins: { type: 'array', items: componentPluginSchema },
    valuesFrom: { type: 'array', items: valuesFromSchema },
  },
} as const;
