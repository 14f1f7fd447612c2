/**
 * The JSON the dashboard reads, as documented in discover-service's `/openapi.json`: the server's
 * own types, imported as types only (erased from the page's JavaScript), so the two never drift.
 */
import type { ComponentSummary, ConfigError, PluginSummary, RouteRow, ServiceSummary } from '@meshplug/discover-service';

export type {
  ComponentSummary,
  ConfigError,
  EndpointState,
  PluginSummary,
  ProxyStatus,
  RouteEndpoint,
  RouteRow,
  RouteTraffic,
  EndpointTraffic,
  ServiceSummary,
  StateSnapshot,
} from '@meshplug/discover-service';

/** Everything behind the `mesh` part of the state version. */
export interface MeshLists {
  routes: RouteRow[];
  services: ServiceSummary[];
  components: ComponentSummary[];
  plugins: PluginSummary[];
  errors: ConfigError[];
  ready: boolean;
}
