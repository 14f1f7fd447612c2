import type { Service } from '@meshplug/plugin-api';
import type { ServiceSummary } from '../state/mesh-view.js';
import { routeEndpoints } from './endpoint-selection.js';
import type { MeshInputs } from './mesh-builder.js';
import { portProtocol } from './port-protocol.js';

/** One Service as `/v1/services` shows it: VIP, ports with protocols, every endpoint with its state. */
export function serviceSummary(inputs: MeshInputs, service: Service, component: boolean): ServiceSummary {
  const key = `${service.metadata.namespace ?? ''}/${service.metadata.name}`;
  const ports = service.spec?.ports ?? [];
  return {
    namespace: service.metadata.namespace ?? '',
    name: service.metadata.name,
    uid: service.metadata.uid ?? '',
    vip: inputs.vip(key) ?? '',
    ports: ports.map((p) => ({ name: p.name ?? '', port: p.port, targetPort: p.targetPort ?? p.port, protocol: portProtocol(p) })),
    endpoints: ports.flatMap((p) => routeEndpoints(inputs.endpoints(key, p))),
    component,
  };
}
