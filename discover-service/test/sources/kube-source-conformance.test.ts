import t from 'tap';
import { LABEL_COMPONENT, LABEL_PLUGIN, LABEL_VALUES, type KubeObject } from '@meshplug/plugin-api';
import { FakeApiServer } from '../../../test/fake-apiserver/index.js';
import { KubeSource } from '../../src/sources/kube-source.js';
import type { ObjectKind } from '../../src/sources/source.js';
import { sourceConformance, type SourceHarness } from './source-conformance.js';
import { kubeConfigFor } from './kube-test-kit.js';

/**
 * The kube source reads only meshplug's labelled ConfigMaps, so the world's
 * plain ConfigMaps are stored as `valuesFrom` ConfigMaps (label added; the
 * conformance check allows extra fields).
 */
function inCluster(kind: ObjectKind, object: KubeObject): KubeObject {
  const labels = object.metadata.labels ?? {};
  const meshplug = [LABEL_PLUGIN, LABEL_COMPONENT, LABEL_VALUES].some((label) => label in labels);
  if (kind !== 'ConfigMap' || meshplug) return { ...object, kind };
  return { ...object, kind, metadata: { ...object.metadata, labels: { ...labels, [LABEL_VALUES]: 'true' } } };
}

sourceConformance(t, 'KubeSource', async (initial) => {
  const fake = await FakeApiServer.start();
  for (const { kind, object } of initial) fake.apply(inCluster(kind, object));
  const source = new KubeSource({ kubeConfig: kubeConfigFor(fake) });
  const harness: SourceHarness = {
    source,
    async apply(kind, object) {
      fake.apply(inCluster(kind, object));
    },
    async remove(kind, namespace, name) {
      fake.remove(kind, namespace, name);
    },
    async close() {
      await source.stop();
      await fake.close();
    },
  };
  return harness;
});
