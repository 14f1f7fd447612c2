export { DnsShimErrors } from './errors.js';
export { DnsShim, type TableSource } from './dns-shim.js';
export {
  DNS_SHIM_DEFAULTS,
  resolveDnsShimOptions,
  type DnsShimOptions,
  type ResolvedDnsShimOptions,
} from './config/dns-shim-options.js';
export { parseHostPort, formatHostPort, type HostPort } from './config/host-port.js';
export { systemClock, ManualClock, type Clock } from './clock.js';
export { MeshTable } from './table/mesh-table.js';
export { validateDnsTable } from './table/validate-dns-table.js';
export { StateStore, MESH_STATE_FILE, DNS_STATE_FILE, type SavedTable } from './table/state-store.js';
export { TableFollower, type TableFollowerOptions } from './table/table-follower.js';
export { MetricsServer } from './metrics/metrics-server.js';
export { DnsMetrics, type QueryOutcome } from './metrics/dns-metrics.js';
export { startDnsShim, meshDocumentLocation, type StartDnsShimOptions, type RunningDnsShim } from './cli/start-dns-shim.js';
export { DNS_COMMAND } from './cli/main.js';
export { normalizeName, nameToKey, keyToName } from './wire/name-key.js';
export { parseQuery, ParsedQuery, type ParseResult, type QueryRejection, type QueryDrop, type EdnsInfo } from './wire/parse-query.js';
export { buildPrebuiltReply, type PrebuiltAnswer } from './wire/build-response.js';
export { ResponseCache, answerBits, type ResponseCacheOptions, type CachedReply } from './forward/response-cache.js';
export { Forwarder, cacheKey, type ForwarderOptions, type ForwardResult } from './forward/forwarder.js';
export { UdpTransport } from './forward/udp-transport.js';
export { TcpTransport } from './forward/tcp-transport.js';
export { QueryHandler, type QueryHandlerOptions, type Transport } from './server/query-handler.js';
