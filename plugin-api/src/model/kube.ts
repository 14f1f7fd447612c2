/**
 * The few Kubernetes object shapes meshplug reads. Plain JSON, as the API
 * server and a YAML file both give them; only fields meshplug uses are typed.
 */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  /** RFC 3339 time the API server created the object; orders duplicate definitions. */
  creationTimestamp?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind: string; name: string; uid?: string }[];
  deletionTimestamp?: string;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: string;
  appProtocol?: string;
}

export interface Service extends KubeObject {
  spec?: {
    ports?: ServicePort[];
    selector?: Record<string, string>;
    clusterIP?: string;
    type?: string;
  };
}

export interface EndpointConditions {
  ready?: boolean | null;
  serving?: boolean | null;
  terminating?: boolean | null;
}

export interface Endpoint {
  addresses: string[];
  conditions?: EndpointConditions;
  hostname?: string;
  nodeName?: string;
  zone?: string;
  targetRef?: { kind?: string; name?: string; namespace?: string };
}

export interface EndpointPort {
  name?: string;
  port?: number;
  protocol?: string;
  appProtocol?: string;
}

export interface EndpointSlice extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints?: Endpoint[] | null;
  ports?: EndpointPort[] | null;
}

/** Legacy core/v1 Endpoints, read behind a flag. */
export interface LegacyEndpoints extends KubeObject {
  subsets?: {
    addresses?: { ip: string; nodeName?: string; targetRef?: { name?: string; namespace?: string } }[];
    notReadyAddresses?: { ip: string; nodeName?: string; targetRef?: { name?: string; namespace?: string } }[];
    ports?: { name?: string; port: number; protocol?: string; appProtocol?: string }[];
  }[];
}

export interface ConfigMap extends KubeObject {
  immutable?: boolean;
  data?: Record<string, string>;
}

/** Labels and keys of the data model. */
export const LABEL_PLUGIN = 'mesh.io/plugin';
export const LABEL_PLUGIN_VERSION = 'mesh.io/plugin-version';
export const LABEL_COMPONENT = 'mesh.io/component';
export const LABEL_INJECT = 'mesh.io/inject';
/** Marks a ConfigMap that components read through `valuesFrom` (the kube source watches only labelled ones). */
export const LABEL_VALUES = 'mesh.io/values';
export const KEY_PLUGIN = 'plugin.yaml';
export const KEY_COMPONENT = 'component.yaml';
/** EndpointSlice label naming its Service. */
export const LABEL_SERVICE_NAME = 'kubernetes.io/service-name';
