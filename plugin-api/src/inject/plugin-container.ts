import type { PluginVersion } from '../model/plugin.js';
import type { ComponentPlugin } from '../model/component.js';
import type { InjectOptions } from './inject-options.js';
import type { Container, EnvVar } from './pod-types.js';
import { maxQuantity } from './quantity.js';
import { STATE_VOLUME } from './injection-record.js';
import { tokenFileEnv, tokenVolumeMount } from './service-account-token.js';

/** One enabled plugin of the component, ready to become a container. */
export interface InjectPlugin {
  plugin: PluginVersion;
  ref: ComponentPlugin;
  /** Values of the plugin's `injection: env` items (defaults merged with the component's values). */
  env: Record<string, string>;
}

export interface ContainerContext {
  namespace: string;
  service: string;
  /** Environment of the main container, shared with every plugin container. */
  sharedEnv: EnvVar[];
  options: Readonly<InjectOptions>;
}

/** Container names are DNS-1123 labels of at most 63 characters. */
export function pluginContainerName(plugin: string): string {
  return `plugin-${plugin}`.slice(0, 63).replace(/-+$/, '');
}

/** A node one-liner that exits 0 once `url` answers 200 (images carry node, not curl). */
export function waitForUrlCommand(url: string, timeoutSeconds: number): string[] {
  const script =
    `const h=require('http'),d=Date.now()+${timeoutSeconds * 1000};` +
    `function f(){h.get(${JSON.stringify(url)},r=>{r.resume();r.statusCode===200?process.exit(0):n()}).on('error',n)}` +
    `function n(){Date.now()>d?process.exit(1):setTimeout(f,200)}f();`;
  return ['node', '-e', script];
}

/**
 * The design's environment, in an order that lets `$(XDS_HOST_IP)` expand:
 * shared main-container variables first, then meshplug's, then the plugin's own items,
 * each later one replacing an earlier one of the same name.
 */
export function pluginEnv(ctx: ContainerContext, pluginName: string, own: Record<string, string>): EnvVar[] {
  const { namespace, service, options } = ctx;
  const resources = `/v1/resources/${namespace}/${service}/${pluginName}`;
  const base = `http://$(XDS_HOST_IP):${options.discoverPort}`;
  const mesh: EnvVar[] = [
    options.discoverHost === ''
      ? { name: 'XDS_HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } }
      : { name: 'XDS_HOST_IP', value: options.discoverHost },
    { name: 'API_HOST_PORT', value: String(options.discoverPort) },
    { name: 'DISCOVER_URL', value: `${base}${resources}` },
    { name: 'DISCOVER_URL_NOHOST', value: resources },
    { name: 'PLUGIN_ID', value: pluginName },
    { name: 'NAMESPACE', value: namespace },
    { name: 'SERVICE_NAME', value: service },
    { name: 'MESHPLUG_CONFIG_URL', value: base },
    { name: 'MESHPLUG_NAMESPACE', value: namespace },
    { name: 'MESHPLUG_SERVICE', value: service },
    { name: 'MESHPLUG_PROXY_ID', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    { name: 'MESHPLUG_STATE_DIR', value: options.stateDir },
    ...(options.accessControl ? [tokenFileEnv()] : []),
  ];
  const ownVars = Object.entries(own).map(([name, value]) => ({ name, value }));
  const byName = new Map<string, EnvVar>();
  for (const v of [...ctx.sharedEnv, ...mesh, ...ownVars]) {
    byName.delete(v.name);
    byName.set(v.name, v);
  }
  return [...byName.values()];
}

/** The container of one plugin: image, command, env, resources, state volume. */
export function pluginContainer(ctx: ContainerContext, p: InjectPlugin, extraEnv: EnvVar[] = []): Container {
  const memory = maxQuantity(p.ref.memory, p.plugin.memory);
  const cpu = p.ref.cpu ?? p.plugin.cpu;
  const container: Container = {
    name: pluginContainerName(p.plugin.name),
    image: p.plugin.image,
    env: [...pluginEnv(ctx, p.plugin.name, p.env), ...extraEnv],
    volumeMounts: [{ name: STATE_VOLUME, mountPath: ctx.options.stateDir }, ...(ctx.options.accessControl ? [tokenVolumeMount()] : [])],
  };
  if (p.plugin.command) container.command = [...p.plugin.command];
  if (p.plugin.args) container.args = [...p.plugin.args];
  if (memory !== undefined || cpu !== undefined) {
    container.resources = {
      requests: { ...(memory ? { memory } : {}), ...(cpu ? { cpu } : {}) },
      ...(memory ? { limits: { memory } } : {}),
    };
  }
  return container;
}
