import { INJECTIONS, ITEM_TYPES, META_TYPES, PLUGIN_TYPES } from '../model/plugin.js';
import { dnsLabelSchema, ITEM_NAME_PATTERN, labelValueSchema, protocolSchema, quantitySchema } from './common.js';

/** One item of a config group (`ConfigItem`). */
export const configItemSchema = {
  type: 'object',
  description: 'One configurable item; its value reaches the plugin as an env variable or a DISCOVER_URL option.',
  additionalProperties: false,
  required: ['name', 'type'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 253, pattern: ITEM_NAME_PATTERN },
    type: { type: 'string', enum: [...ITEM_TYPES] },
    options: {
      type: 'array',
      description: 'Allowed values of a radio or checkbox item.',
      items: { type: 'string' },
    },
    default: { type: 'string', description: 'Default value; checkbox defaults are comma-separated.' },
    protocols: {
      type: 'array',
      description: 'Protocols the item applies to; empty or absent: all.',
      items: protocolSchema,
    },
    editable: { type: 'boolean', description: 'Whether a component may override the default (default true).' },
    description: { type: 'string' },
  },
} as const;

/** A config group (`ConfigGroup`). */
export const configGroupSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'metaType', 'injection', 'items'],
  properties: {
    name: dnsLabelSchema,
    metaType: { type: 'string', enum: [...META_TYPES] },
    injection: { type: 'string', enum: [...INJECTIONS] },
    items: { type: 'array', items: configItemSchema },
  },
} as const;

/** A published plugin version: the `plugin.yaml` key of a plugin ConfigMap (`PluginVersion`). */
export const pluginVersionSchema = {
  type: 'object',
  title: 'PluginVersion',
  description: 'A published, immutable plugin version (ConfigMap key plugin.yaml).',
  additionalProperties: false,
  required: ['name', 'version', 'type', 'image'],
  properties: {
    name: dnsLabelSchema,
    version: labelValueSchema,
    description: { type: 'string' },
    type: { type: 'string', enum: [...PLUGIN_TYPES] },
    image: { type: 'string', minLength: 1 },
    command: { type: 'array', items: { type: 'string' } },
    args: { type: 'array', items: { type: 'string' } },
    memory: quantitySchema,
    cpu: quantitySchema,
    configGroups: { type: 'array', items: configGroupSchema },
  },
} as const;
