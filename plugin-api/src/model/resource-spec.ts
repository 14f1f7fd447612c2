/** Rainbond's ResourceSpec: what a plugin reads at DISCOVER_URL. Option values are strings. */
export interface BasePort {
  service_alias: string;
  service_id: string;
  port: number;
  listen_port: number;
  protocol: string;
  options: Record<string, string>;
}

export interface BaseService {
  service_alias: string;
  service_id: string;
  depend_service_alias: string;
  depend_service_id: string;
  port: number;
  protocol: string;
  options: Record<string, string>;
}

export interface BaseNormal {
  options: Record<string, string>;
}

export interface ResourceSpec {
  base_ports: BasePort[];
  base_services: BaseService[];
  base_normal: BaseNormal;
}
