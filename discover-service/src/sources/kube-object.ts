import type { KubeObject } from '@meshplug/plugin-api';

/**
 * Plain wire JSON with `kind` and `apiVersion`. List items come from
 * client-node as model instances (Date timestamps, no kind); watch events come
 * as raw JSON. A JSON round trip makes both the same shape for the sink.
 */
export function toKubeObject(item: unknown, kind: string, apiVersion: string): KubeObject {
  const plain = JSON.parse(JSON.stringify(item)) as KubeObject;
  return { ...plain, apiVersion, kind };
}

/** Identity of an object within one kind. */
export function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name}`;
}
