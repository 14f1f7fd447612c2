import { LB_POLICIES } from '../model/mesh-document.js';
import { portSchema, stringMapSchema } from './common.js';

/* Generated documents: unlisted keys are allowed so sidecars tolerate a newer discover-service. */

const modeSchema = { type: 'string', enum: ['http', 'tcp'] } as const;

export const meshEndpointSchema = {
  type: 'object',
  required: ['address', 'port', 'ready', 'serving', 'terminating', 'weight'],
  properties: {
    address: { type: 'string', minLength: 1 },
    port: portSchema,
    ready: { type: 'boolean' },
    serving: { type: 'boolean' },
    terminating: { type: 'boolean' },
    zone: { type: 'string' },
    nodeName: { type: 'string' },
    target: { type: 'string' },
    weight: { type: 'integer', minimum: 1, maximum: 1000 },
  },
} as const;

export const inboundListenerSchema = {
  type: 'object',
  required: ['name', 'port', 'outerPort', 'protocol', 'mode', 'options'],
  properties: {
    name: { type: 'string', minLength: 1 },
    port: portSchema,
    outerPort: portSchema,
    protocol: { type: 'string' },
    mode: modeSchema,
    options: stringMapSchema,
  },
} as const;

export const outboundClusterSchema = {
  type: 'object',
  required: ['name', 'namespace', 'service', 'vip', 'port', 'protocol', 'mode', 'policy', 'options', 'endpoints'],
  properties: {
    name: { type: 'string', minLength: 1 },
    namespace: { type: 'string', minLength: 1 },
    service: { type: 'string', minLength: 1 },
    vip: { type: 'string', format: 'ipv4' },
    port: portSchema,
    portName: { type: 'string' },
    protocol: { type: 'string' },
    mode: modeSchema,
    policy: { type: 'string', enum: [...LB_POLICIES] },
    options: stringMapSchema,
    endpoints: { type: 'array', items: meshEndpointSchema },
  },
} as const;

export const dnsRecordSchema = {
  type: 'object',
  required: ['names', 'service', 'address', 'ports'],
  properties: {
    names: { type: 'array', items: { type: 'string', minLength: 1 } },
    service: { type: 'string', minLength: 1 },
    address: { type: 'string', format: 'ipv4' },
    ports: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'port', 'protocol'],
        properties: { name: { type: 'string' }, port: portSchema, protocol: { type: 'string' } },
      },
    },
  },
} as const;

export const dnsTableSchema = {
  type: 'object',
  required: ['records', 'searches', 'upstream', 'clusterDomain', 'ttl'],
  properties: {
    records: { type: 'array', items: dnsRecordSchema },
    searches: { type: 'array', items: { type: 'string' } },
    upstream: { type: 'array', items: { type: 'string' } },
    clusterDomain: { type: 'string', minLength: 1 },
    ttl: { type: 'integer', minimum: 0 },
  },
} as const;

/** The sidecar config document served at `GET /v1/mesh/{ns}/{svc}`. */
export const meshDocumentSchema = {
  type: 'object',
  title: 'MeshDocument',
  description: 'Everything mesh-proxy and dns-shim need for one component, in one versioned document.',
  required: ['version', 'namespace', 'service', 'inbound', 'outbound', 'dns'],
  properties: {
    version: { type: 'string', minLength: 1 },
    namespace: { type: 'string', minLength: 1 },
    service: { type: 'string', minLength: 1 },
    inbound: { type: 'array', items: inboundListenerSchema },
    outbound: { type: 'array', items: outboundClusterSchema },
    dns: dnsTableSchema,
  },
} as const;
