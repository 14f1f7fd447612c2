import type { Container } from '@meshplug/plugin-api';

/** What the kubelet knows about the pod a container runs in. */
export interface PodFacts {
  name: string;
  namespace: string;
  podIP: string;
  hostIP: string;
}

/** The mesh-proxy image: `ENTRYPOINT ["node", "/app/bin/meshplug.js"]`, `CMD ["proxy"]` (manifests/docker). */
const IMAGE_DEFAULT_ARGS = ['proxy'];

function fieldRef(path: string, pod: PodFacts): string {
  switch (path) {
    case 'metadata.name':
      return pod.name;
    case 'metadata.namespace':
      return pod.namespace;
    case 'status.podIP':
      return pod.podIP;
    case 'status.hostIP':
      return pod.hostIP;
    default:
      throw new Error(`fieldRef ${path} is not emulated`);
  }
}

/**
 * The environment the kubelet gives `container`: values with `$(VAR)`
 * expanded from the variables listed before them (`$$` escapes), fieldRefs
 * from the pod. Other sources (secrets, config maps) are not emulated.
 */
export function containerEnv(container: Container, pod: PodFacts): Record<string, string> {
  const env: Record<string, string> = {};
  for (const v of container.env ?? []) {
    if (v.value !== undefined) {
      env[v.name] = v.value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g, (m: string, name: string | undefined) =>
        name === undefined ? '$' : (env[name] ?? m),
      );
    } else {
      const ref = (v.valueFrom as { fieldRef?: { fieldPath?: string } } | undefined)?.fieldRef?.fieldPath;
      if (ref === undefined) throw new Error(`env ${v.name}: only value and fieldRef are emulated`);
      env[v.name] = fieldRef(ref, pod);
    }
  }
  return env;
}

/** The `meshplug` arguments of a sidecar container: its args, or the image's default command. */
export function containerArgs(container: Container): string[] {
  if (container.command !== undefined) throw new Error(`container ${container.name}: a command other than the image's is not emulated`);
  return [...(container.args ?? IMAGE_DEFAULT_ARGS)];
}
