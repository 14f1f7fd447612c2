import { CoreV1Api, DiscoveryV1Api, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { LABEL_COMPONENT, LABEL_PLUGIN, LABEL_VALUES } from '@meshplug/plugin-api';
import type { ObjectKind } from './source.js';

/** One informer's worth: what to list and watch, and which sink kind it feeds. */
export interface WatchedResource {
  /** Stable name for logs and problems, e.g. `configmaps(mesh.io/plugin)`. */
  id: string;
  kind: ObjectKind;
  apiVersion: string;
  /** Watch path (cluster-wide or namespaced collection). */
  path: string;
  labelSelector?: string;
  list: () => Promise<KubernetesListObject<KubernetesObject>>;
}

/**
 * What the kube source watches: every Service and EndpointSlice, the three
 * kinds of meshplug ConfigMap by label (plugin versions, components, and
 * `valuesFrom` ConfigMaps labelled `mesh.io/values`), and legacy Endpoints
 * only when asked.
 */
export function watchedResources(kc: KubeConfig, options: { namespace?: string | undefined; legacyEndpoints: boolean }): WatchedResource[] {
  const core = kc.makeApiClient(CoreV1Api);
  const discovery = kc.makeApiClient(DiscoveryV1Api);
  const ns = options.namespace;
  const corePath = (plural: string): string => (ns === undefined ? `/api/v1/${plural}` : `/api/v1/namespaces/${ns}/${plural}`);
  const configMaps = (label: string): WatchedResource => ({
    id: `configmaps(${label})`,
    kind: 'ConfigMap',
    apiVersion: 'v1',
    path: corePath('configmaps'),
    labelSelector: label,
    list: () =>
      ns === undefined
        ? core.listConfigMapForAllNamespaces({ labelSelector: label })
        : core.listNamespacedConfigMap({ namespace: ns, labelSelector: label }),
  });
  const resources: WatchedResource[] = [
    {
      id: 'services',
      kind: 'Service',
      apiVersion: 'v1',
      path: corePath('services'),
      list: () => (ns === undefined ? core.listServiceForAllNamespaces() : core.listNamespacedService({ namespace: ns })),
    },
    {
      id: 'endpointslices',
      kind: 'EndpointSlice',
      apiVersion: 'discovery.k8s.io/v1',
      path: ns === undefined ? '/apis/discovery.k8s.io/v1/endpointslices' : `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
      list: () =>
        ns === undefined ? discovery.listEndpointSliceForAllNamespaces() : discovery.listNamespacedEndpointSlice({ namespace: ns }),
    },
    configMaps(LABEL_PLUGIN),
    configMaps(LABEL_COMPONENT),
    configMaps(LABEL_VALUES),
  ];
  if (options.legacyEndpoints) {
    resources.push({
      id: 'endpoints',
      kind: 'Endpoints',
      apiVersion: 'v1',
      path: corePath('endpoints'),
      list: () => (ns === undefined ? core.listEndpointsForAllNamespaces() : core.listNamespacedEndpoints({ namespace: ns })),
    });
  }
  return resources;
}
