import { Agent, request } from 'node:http';

/** Where and how many requests the demo client sends. */
export interface RequestPlan {
  /** Address to connect to (the VIP the name resolved to). */
  address: string;
  port: number;
  /** Host header, the name the client used (`tomcat:8080`). */
  host: string;
  path: string;
  count: number;
  /** Source address: the client pod's own address. */
  localAddress?: string;
  /** Bound on one request, ms. */
  timeoutMs: number;
}

export interface TrafficResult {
  sent: number;
  /** HTTP status (or `error`) -> count. */
  statuses: Map<string, number>;
  /** Backend that answered (the body's pod name) -> count, 200 answers only. */
  backends: Map<string, number>;
  /** The first few failures, for the report. */
  failures: string[];
}

const KEPT_FAILURES = 5;

function once(plan: RequestPlan, agent: Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: plan.address,
        port: plan.port,
        path: plan.path,
        headers: { host: plan.host },
        agent,
        ...(plan.localAddress === undefined ? {} : { localAddress: plan.localAddress }),
        timeout: plan.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${plan.timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/**
 * Sends `count` GETs one after the other over a keep-alive agent, like an app
 * with a connection pool: the outbound mesh-proxy still balances per request.
 */
export async function sendRequests(plan: RequestPlan): Promise<TrafficResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const result: TrafficResult = { sent: 0, statuses: new Map(), backends: new Map(), failures: [] };
  try {
    for (let i = 0; i < plan.count; i++) {
      result.sent++;
      try {
        const { status, body } = await once(plan, agent);
        bump(result.statuses, String(status));
        if (status === 200) bump(result.backends, body.trim());
        else if (result.failures.length < KEPT_FAILURES) result.failures.push(`HTTP ${status}: ${body.slice(0, 200).trim()}`);
      } catch (err) {
        bump(result.statuses, 'error');
        if (result.failures.length < KEPT_FAILURES) result.failures.push((err as Error).message);
      }
    }
  } finally {
    agent.destroy();
  }
  return result;
}
