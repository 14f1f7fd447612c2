import type { ConfigError } from './api-types.js';

/** A `/v1/errors` entry put the way a person fixes it: which object, where in it, and what to do. */
export interface ErrorAdvice {
  /** e.g. `ConfigMap shop/component-web`. */
  object: string;
  /** Where inside it, e.g. `data["component.yaml"].plugins[0].version`; '' for the whole object. */
  where: string;
  reason: string;
  /** The next step, e.g. the kubectl command that shows the object. */
  action: string;
}

/** `/v1/errors` kinds that name a Kubernetes object, and that object's resource. */
const RESOURCES: Readonly<Record<string, string>> = {
  plugin: 'ConfigMap',
  component: 'ConfigMap',
  values: 'ConfigMap',
  service: 'Service',
  endpointslice: 'EndpointSlice',
};

export function adviseError(error: ConfigError): ErrorAdvice {
  const resource = RESOURCES[error.kind];
  if (resource === undefined) {
    return {
      object: `${error.kind} ${error.name}`,
      where: error.path,
      reason: error.reason,
      action: 'Check the source (file or cluster connection); discover-service keeps serving the last good state.',
    };
  }
  const ref = error.namespace === undefined ? error.name : `${error.namespace}/${error.name}`;
  const where = error.path;
  const ns = error.namespace === undefined ? '' : ` -n ${error.namespace}`;
  const immutable = error.kind === 'plugin' ? ' Plugin versions are immutable: publish the fix as a new version.' : '';
  return {
    object: `${resource} ${ref}`,
    where,
    reason: error.reason,
    action: `kubectl${ns} get ${resource.toLowerCase()} ${error.name} -o yaml — fix ${where === '' ? 'it' : where} and apply again.${immutable}`,
  };
}
