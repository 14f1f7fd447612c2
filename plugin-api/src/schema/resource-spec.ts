import { portSchema, stringMapSchema } from './common.js';

/*
 * Documents meshplug generates are validated where they are received, so these schemas allow keys
 * they do not list: a newer discover-service may add fields without breaking older plugins.
 */

export const basePortSchema = {
  type: 'object',
  required: ['service_alias', 'service_id', 'port', 'listen_port', 'protocol', 'options'],
  properties: {
    service_alias: { type: 'string' },
    service_id: { type: 'string' },
    port: portSchema,
    listen_port: portSchema,
    protocol: { type: 'string' },
    options: stringMapSchema,
  },
} as const;

export const baseServiceSchema = {
  type: 'object',
  required: ['service_alias', 'service_id', 'depend_service_alias', 'depend_service_id', 'port', 'protocol', 'options'],
  properties: {
    service_alias: { type: 'string' },
    service_id: { type: 'string' },
    depend_service_alias: { type: 'string' },
    depend_service_id: { type: 'string' },
    port: portSchema,
    protocol: { type: 'string' },
    options: stringMapSchema,
  },
} as const;

/** Rainbond's ResourceSpec, served at `GET /v1/resources/{ns}/{svc}/{plugin}` (`DISCOVER_URL`). */
export const resourceSpecSchema = {
  type: 'object',
  title: 'ResourceSpec',
  description: "One plugin's resolved config on one component, in Rainbond's shape; option values are strings.",
  required: ['base_ports', 'base_services', 'base_normal'],
  properties: {
    base_ports: { type: 'array', items: basePortSchema },
    base_services: { type: 'array', items: baseServiceSchema },
    base_normal: {
      type: 'object',
      required: ['options'],
      properties: { options: stringMapSchema },
    },
  },
} as const;
