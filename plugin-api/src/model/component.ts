/** Values a component sets for one plugin, per metaType. */
export interface PluginValues {
  /** Items of metaType `none`, by name. */
  normal?: Record<string, string>;
  /** Items of metaType `component-port`, per app port (`"8080"`). */
  ports?: Record<string, Record<string, string>>;
  /** Items of metaType `downstream-port`, per dependency port (`"tomcat:8080"`, `"redis.cache:6379"`). */
  services?: Record<string, Record<string, string>>;
}

export interface ComponentPlugin {
  name: string;
  version: string;
  enabled: boolean;
  /** Memory for the plugin container; never below the plugin version's minimum. */
  memory?: string;
  cpu?: string;
  values?: PluginValues;
}

export interface ValuesFrom {
  /** ConfigMap in the component's namespace. */
  configMap: string;
  /** Only keys with this prefix are used, with the prefix removed. */
  prefix?: string;
}

/** A component (ConfigMap key `component.yaml`, labelled `mesh.io/component: <service>`). */
export interface ComponentSpec {
  /** `name`, `name.namespace`, optionally `:port`. */
  dependencies?: string[];
  plugins?: ComponentPlugin[];
  valuesFrom?: ValuesFrom[];
}

/** A parsed dependency reference. */
export interface DependencyRef {
  name: string;
  namespace: string;
  /** Only this service port, when given. */
  port?: number;
}
