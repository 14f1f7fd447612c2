/** Plugin types, with Rainbond's names in comments. */
export const PLUGIN_TYPES = [
  'net-inbound', // net-plugin:up
  'net-outbound', // net-plugin:down
  'net-inout', // net-plugin:in-and-out
  'analyst-perf', // analyst-plugin:perf
  'init', // init-plugin
  'general', // general-plugin
] as const;
export type PluginType = (typeof PLUGIN_TYPES)[number];

export const META_TYPES = ['none', 'component-port', 'downstream-port'] as const;
export type MetaType = (typeof META_TYPES)[number];

export const INJECTIONS = ['env', 'discover'] as const;
export type Injection = (typeof INJECTIONS)[number];

export const ITEM_TYPES = ['string', 'radio', 'checkbox'] as const;
export type ItemType = (typeof ITEM_TYPES)[number];

/** One configurable item of a config group. */
export interface ConfigItem {
  name: string;
  type: ItemType;
  /** Allowed values for radio/checkbox. */
  options?: string[];
  /** Default value; checkbox defaults are comma-separated. */
  default?: string;
  /** Protocols this item applies to; empty or absent: all. */
  protocols?: string[];
  /** Whether a component may override the default. Defaults to true. */
  editable?: boolean;
  description?: string;
}

export interface ConfigGroup {
  name: string;
  metaType: MetaType;
  injection: Injection;
  items: ConfigItem[];
}

/** A published, immutable version of a plugin (ConfigMap key `plugin.yaml`). */
export interface PluginVersion {
  name: string;
  version: string;
  description?: string;
  type: PluginType;
  image: string;
  command?: string[];
  args?: string[];
  /** Minimum memory, Kubernetes quantity (e.g. `64Mi`). */
  memory?: string;
  /** CPU request, Kubernetes quantity (e.g. `100m`). */
  cpu?: string;
  configGroups: ConfigGroup[];
}
