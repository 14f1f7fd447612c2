/** A resource the fake serves: where it lives in the URL space and what kind it holds. */
export interface ResourceType {
  /** `''` for the core group. */
  group: string;
  version: string;
  /** URL segment, e.g. `services`. */
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** `v1` for the core group, `group/version` otherwise, as objects carry it. */
export function apiVersionOf(resource: ResourceType): string {
  return resource.group === '' ? resource.version : `${resource.group}/${resource.version}`;
}

/** URL prefix of the resource's group version: `/api/v1` or `/apis/<group>/<version>`. */
export function prefixOf(resource: ResourceType): string {
  return resource.group === '' ? `/api/${resource.version}` : `/apis/${resource.group}/${resource.version}`;
}

/** The stored, list/watch-able resources. */
export const RESOURCES: readonly ResourceType[] = Object.freeze([
  { group: '', version: 'v1', plural: 'services', kind: 'Service', namespaced: true },
  { group: '', version: 'v1', plural: 'endpoints', kind: 'Endpoints', namespaced: true },
  { group: '', version: 'v1', plural: 'configmaps', kind: 'ConfigMap', namespaced: true },
  { group: 'discovery.k8s.io', version: 'v1', plural: 'endpointslices', kind: 'EndpointSlice', namespaced: true },
]);

export function resourceByKind(kind: string): ResourceType | undefined {
  return RESOURCES.find((resource) => resource.kind === kind);
}
