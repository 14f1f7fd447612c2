import { stringify } from 'yaml';

/** What `KubeConfig.loadFromOptions()` takes. */
export interface KubeconfigOptions {
  clusters: { name: string; server: string; skipTLSVerify: boolean }[];
  users: { name: string; token: string }[];
  contexts: { name: string; cluster: string; user: string }[];
  currentContext: string;
}

/** The fake speaks plain HTTP; client-node allows that only with skipTLSVerify. */
export function kubeconfigOptions(server: string, token: string): KubeconfigOptions {
  return {
    clusters: [{ name: 'fake', server, skipTLSVerify: true }],
    users: [{ name: 'fake-admin', token }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake-admin' }],
    currentContext: 'fake',
  };
}

/** The same as a kubeconfig file. */
export function kubeconfigYaml(server: string, token: string): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'fake', cluster: { server, 'insecure-skip-tls-verify': true } }],
    users: [{ name: 'fake-admin', user: { token } }],
    contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake-admin' } }],
    'current-context': 'fake',
  });
}
