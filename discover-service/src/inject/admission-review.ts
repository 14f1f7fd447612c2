import { MeshplugError, LABEL_INJECT, type PodTemplate } from '@meshplug/plugin-api';
import { DiscoverErrors } from '../errors.js';
import type { PodInjector } from './pod-injector.js';

/** One JSONPatch (RFC 6902) operation. */
export interface PatchOperation {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

export interface AdmissionResponse {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  response: {
    uid: string;
    allowed: boolean;
    patchType?: 'JSONPatch';
    patch?: string;
    status?: { code: number; message: string };
    warnings?: string[];
  };
}

interface AdmissionRequest {
  uid: string;
  namespace?: string;
  operation?: string;
  kind?: { kind?: string };
  object?: PodTemplate;
}

function readRequest(body: unknown): AdmissionRequest {
  const review = body as { apiVersion?: unknown; kind?: unknown; request?: Partial<AdmissionRequest> } | null;
  if (review === null || typeof review !== 'object' || review.kind !== 'AdmissionReview') {
    throw new DiscoverErrors.DISC_ERR_INJECT_BAD_INPUT('body is not an AdmissionReview');
  }
  if (review.apiVersion !== 'admission.k8s.io/v1') {
    throw new DiscoverErrors.DISC_ERR_INJECT_BAD_INPUT(`apiVersion ${String(review.apiVersion)}: only admission.k8s.io/v1 is served`);
  }
  const request = review.request;
  if (request === undefined || typeof request.uid !== 'string' || request.uid === '') {
    throw new DiscoverErrors.DISC_ERR_INJECT_BAD_INPUT('request.uid is missing');
  }
  return request as AdmissionRequest;
}

/**
 * The smallest patch that turns `before` into `after` at the two places injection writes:
 * the pod spec and the annotations. Injection that changes nothing gives no operation,
 * so a webhook re-invocation is a no-op.
 */
export function podPatch(before: PodTemplate, after: PodTemplate): PatchOperation[] {
  const ops: PatchOperation[] = [];
  if (JSON.stringify(before.spec) !== JSON.stringify(after.spec)) ops.push({ op: 'replace', path: '/spec', value: after.spec });
  const was = before.metadata?.annotations;
  const now = after.metadata?.annotations;
  if (JSON.stringify(was) !== JSON.stringify(now)) {
    if (now === undefined) ops.push({ op: 'remove', path: '/metadata/annotations' });
    else ops.push({ op: was === undefined ? 'add' : 'replace', path: '/metadata/annotations', value: now });
  }
  return ops;
}

/**
 * Answers a mutating admission review for a pod (POST /v1/inject). Pods that
 * opt out (`mesh.io/inject: disabled`) or belong to no component are allowed
 * unchanged; a pod the injector refuses is denied with the reason, so the
 * user sees it in the ReplicaSet's events rather than running unmeshed.
 */
export function reviewAdmission(injector: PodInjector, body: unknown): AdmissionResponse {
  const request = readRequest(body);
  const answer = (response: Omit<AdmissionResponse['response'], 'uid'>): AdmissionResponse => ({
    apiVersion: 'admission.k8s.io/v1',
    kind: 'AdmissionReview',
    response: { uid: request.uid, ...response },
  });
  const pod = request.object;
  if (request.kind?.kind !== 'Pod' || pod?.spec === undefined) {
    return answer({ allowed: true, warnings: ['meshplug injects Pods only; object left unchanged'] });
  }
  if (pod.metadata?.labels?.[LABEL_INJECT] === 'disabled') return answer({ allowed: true });
  const namespace = request.namespace ?? pod.metadata?.namespace ?? 'default';
  try {
    const result = injector.inject(namespace, pod);
    if (result === undefined) return answer({ allowed: true });
    const patch = podPatch(pod, result.pod);
    if (patch.length === 0) return answer({ allowed: true });
    return answer({ allowed: true, patchType: 'JSONPatch', patch: Buffer.from(JSON.stringify(patch)).toString('base64') });
  } catch (err) {
    if (!(err instanceof MeshplugError)) throw err;
    return answer({ allowed: false, status: { code: 400, message: `meshplug: ${err.message}` } });
  }
}
