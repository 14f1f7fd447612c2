import { LineCounter, parseAllDocuments, stringify } from 'yaml';
import type { InboundMapping, KubeObject, PodTemplate, Service } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import { Resolver } from '../resolve/resolver.js';
import { OBJECT_KINDS, type ObjectKind } from '../sources/source.js';
import { Store } from '../store/store.js';
import { PodInjector, type PodInjectorOptions } from './pod-injector.js';

type Doc = Record<string, any>;

/** Where each workload kind keeps its pod template. */
const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export interface ManifestInjection {
  /** The documents, injected, as multi-document YAML. */
  yaml: string;
  /** `Kind namespace/name: plugins` for each workload that changed, for stderr. */
  injected: string[];
}

function parseDocs(text: string, file: string): Doc[] {
  const docs: Doc[] = [];
  const lines = new LineCounter();
  for (const doc of parseAllDocuments(text, { prettyErrors: false, lineCounter: lines })) {
    const error = doc.errors[0];
    if (error !== undefined) {
      const { line } = lines.linePos(error.pos[0]);
      throw new DiscoverErrors.DISC_ERR_INJECT_BAD_INPUT(`${file}:${line}: YAML: ${error.message.split('\n')[0] ?? ''}`);
    }
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new DiscoverErrors.DISC_ERR_INJECT_BAD_INPUT(`${file}: a document must be a Kubernetes object`);
    const v = value as Doc;
    if (typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items)) docs.push(...(v.items as Doc[]));
    else docs.push(v);
  }
  return docs;
}

const namespaceOf = (d: Doc): string => (typeof d.metadata?.namespace === 'string' && d.metadata.namespace !== '' ? d.metadata.namespace : 'default');

function templateOf(doc: Doc): { holder: Doc; key: string } | undefined {
  if (doc.kind === 'Pod') return undefined;
  const path = TEMPLATE_PATHS[doc.kind as string];
  if (path === undefined) return undefined;
  let holder: Doc | undefined = doc;
  for (const part of path.slice(0, -1)) holder = holder?.[part] as Doc | undefined;
  const key = path[path.length - 1]!;
  return holder?.[key]?.spec ? { holder, key } : undefined;
}

/**
 * `meshplug inject -f`: injects every workload of a manifest (Deployments,
 * StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs, Pods) as the webhook
 * would, reading Services and plugin/component ConfigMaps from the same
 * documents plus `context` ones, and rewrites a numeric `targetPort` of a
 * meshed Service to the name its port now has on the sidecar.
 */
export function injectManifest(
  input: { text: string; file: string },
  context: { text: string; file: string }[],
  options: Omit<PodInjectorOptions, 'lookup'>,
): ManifestInjection {
  const docs = parseDocs(input.text, input.file);
  const store = new Store();
  for (const d of [...docs, ...context.flatMap((c) => parseDocs(c.text, c.file))]) {
    if (!(OBJECT_KINDS as readonly string[]).includes(d.kind) || typeof d.metadata?.name !== 'string') continue;
    store.upsert(d.kind as ObjectKind, { ...d, metadata: { ...d.metadata, namespace: namespaceOf(d) } } as KubeObject);
  }
  const resolver = new Resolver(store);
  const injector = new PodInjector({ ...options, lookup: resolver });
  const injected: string[] = [];
  // Per namespace/Service: the app port -> sidecar port name, for the targetPort rewrite.
  const meshed = new Map<string, InboundMapping[]>();
  const out = docs.map((doc) => {
    const isPod = doc.kind === 'Pod';
    const at = templateOf(doc);
    if (!isPod && at === undefined) return doc;
    const namespace = namespaceOf(doc);
    const template = (isPod ? doc : at!.holder[at!.key]) as PodTemplate;
    const result = injector.inject(namespace, template);
    if (result === undefined) return doc;
    meshed.set(`${namespace}/${result.service}`, result.inbound);
    injected.push(`${doc.kind} ${namespace}/${doc.metadata?.name ?? '?'}: ${result.plugins.join(', ') || '(none)'}`);
    if (isPod) return { ...doc, metadata: result.pod.metadata, spec: result.pod.spec };
    const copy = structuredClone(doc);
    templateOf(copy)!.holder[at!.key] = result.pod;
    return copy;
  });
  const rewritten = out.map((doc) => {
    if (doc.kind !== 'Service') return doc;
    const inbound = meshed.get(`${namespaceOf(doc)}/${doc.metadata?.name}`);
    if (inbound === undefined) return doc;
    const copy = structuredClone(doc) as Service & Doc;
    for (const port of copy.spec?.ports ?? []) {
      const target = typeof port.targetPort === 'number' ? port.targetPort : (port.targetPort ?? port.port);
      const mapping = typeof target === 'number' ? inbound.find((m) => m.port === target) : undefined;
      if (mapping) port.targetPort = mapping.name;
    }
    return copy;
  });
  return { yaml: rewritten.map((d) => stringify(d)).join('---\n'), injected };
}
