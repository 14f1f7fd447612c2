export {};
export { KubeSource } from './sources/kube-source.js';
export { KUBE_SOURCE_DEFAULTS, type KubeSourceOptions, type KubeTimers } from './sources/kube-source-options.js';
export { DiscoverErrors } from './errors.js';
export { Store, objectKey, type ChangeBatch, type StoreOptions } from './store/store.js';
export { Resolver, type ResolverDeps } from './resolve/resolver.js';
export {
  RESOLVER_DEFAULTS,
  resolveResolverOptions,
  type ResolverOptions,
  type ResolvedResolverOptions,
} from './resolve/resolver-options.js';
export { portProtocol } from './resolve/port-protocol.js';
export { contentVersion, canonicalJson } from './resolve/content-version.js';
export { FileSource, type FileSourceOptions, type SourceTimers, type DirectoryWatch } from './sources/file-source.js';
export { parseManifest, type ParsedManifest, type ManifestProblem } from './sources/manifest-file.js';
export { OBJECT_KINDS, type ObjectKind, type Source, type SourceSink, type SourceProblem } from './sources/source.js';
export type * from './state/mesh-view.js';
export { buildServer, type DiscoverServer } from './http/build-server.js';
export { SERVER_DEFAULTS, resolveServerOptions, type ServerOptions, type ResolvedServerOptions, type ServerTimers } from './http/server-options.js';
export { ProxyRegistry, PROXY_KINDS, type ProxyKind, type ProxyIdentity, type ProxyStatus } from './proxies/proxy-registry.js';
export { startServe, parseServeArgs, type ServeConfig, type RunningServe } from './cli/serve-command.js';
export { AccessControl, bearerToken } from './auth/access-control.js';
export { ACCESS_DEFAULTS, type AccessControlOptions, type ResolvedAccessControlOptions } from './auth/access-options.js';
export { KubeTokenReviewer, interpretTokenReview, type KubeTokenReviewerOptions } from './auth/kube-token-reviewer.js';
export { CachingTokenReviewer } from './auth/caching-token-reviewer.js';
export type { TokenReview, TokenReviewer } from './auth/token-reviewer.js';
export { ROUTE_GROUPS, type RouteGroup } from './http/server-options.js';
export type { RouteTraffic, EndpointTraffic, LatencySummary } from './proxies/traffic-stats.js';
export type { StateSnapshot } from './http/state-version.js';
