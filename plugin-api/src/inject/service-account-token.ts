import type { Container, EnvVar, PodSpec } from './pod-types.js';

/** Audience of the token plugin containers present to discover-service; discover-service accepts only it. */
export const MESHPLUG_TOKEN_AUDIENCE = 'meshplug';
/** Pod volume holding the projected ServiceAccount token. */
export const TOKEN_VOLUME = 'meshplug-token';
export const TOKEN_DIR = '/var/run/secrets/meshplug';
/** Where plugin containers find the token; kubelet rewrites it in place before it expires. */
export const TOKEN_FILE = `${TOKEN_DIR}/token`;
/** Lifetime asked of kubelet; it refreshes the file at 80% of it. */
export const TOKEN_EXPIRATION_SECONDS = 3600;

type Volume = NonNullable<PodSpec['volumes']>[number];
type VolumeMount = NonNullable<Container['volumeMounts']>[number];

/** The projected volume: a token bound to the pod, for audience `meshplug` only, so it is useless against the API server. */
export function tokenVolume(): Volume {
  return {
    name: TOKEN_VOLUME,
    projected: {
      sources: [{ serviceAccountToken: { audience: MESHPLUG_TOKEN_AUDIENCE, expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } }],
    },
  };
}

export function tokenVolumeMount(): VolumeMount {
  return { name: TOKEN_VOLUME, mountPath: TOKEN_DIR, readOnly: true };
}

/** Read by the SDK (`discoverOptionsFromEnv`) before every request. */
export function tokenFileEnv(): EnvVar {
  return { name: 'MESHPLUG_TOKEN_FILE', value: TOKEN_FILE };
}
