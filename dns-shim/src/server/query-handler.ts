import type { Logger } from 'pino';
import type { Forwarder } from '../forward/forwarder.js';
import type { DnsMetrics, QueryOutcome } from '../metrics/dns-metrics.js';
import type { MeshTable } from '../table/mesh-table.js';
import { buildEmptyReply, buildHeaderReply, buildPrebuiltReply, clientUdpLimit } from '../wire/build-response.js';
import { Rcode } from '../wire/dns-constants.js';
import { keyToName } from '../wire/name-key.js';
import { parseQuery, type ParsedQuery } from '../wire/parse-query.js';

export type Transport = 'udp' | 'tcp';

export interface QueryHandlerOptions {
  /** The current mesh table (undefined until one is loaded: everything is forwarded). */
  table(): MeshTable | undefined;
  forwarder: Forwarder;
  metrics: DnsMetrics;
  logger: Logger;
  /** Largest UDP reply we send and advertise in OPT. */
  maxUdpPayload: number;
}

/**
 * One message in, at most one reply out. Mesh names (prebuilt replies) and
 * cached forwarded names are answered synchronously; the rest returns a promise. Never
 * throws and never rejects: anything unexpected becomes SERVFAIL.
 */
export class QueryHandler {
  constructor(private readonly options: Readonly<QueryHandlerOptions>) {}

  handle(raw: Buffer, transport: Transport): Buffer | Promise<Buffer | undefined> | undefined {
    const { metrics } = this.options;
    let query: ParsedQuery | undefined;
    try {
      const parsed = parseQuery(raw);
      if (parsed.kind === 'drop') {
        metrics.countQuery(undefined, 'dropped', transport);
        return undefined;
      }
      if (parsed.kind === 'reject') {
        metrics.countQuery(undefined, parsed.rcode === Rcode.NOTIMP ? 'notimp' : 'formerr', transport);
        return buildHeaderReply(parsed.id, parsed.flags, parsed.rcode);
      }
      query = parsed;
      const answer = this.options.table()?.lookup(query);
      if (answer !== undefined) {
        const outcome: QueryOutcome =
          answer.rcode === Rcode.NXDOMAIN ? 'mesh_nxdomain' : answer.ancount === 0 ? 'mesh_nodata' : 'mesh';
        metrics.countQuery(query.qtype, outcome, transport);
        return this.fit(buildPrebuiltReply(raw, query, answer, this.options.maxUdpPayload), raw, query, transport);
      }
      const cached = this.options.forwarder.fromCache(query);
      if (cached !== undefined) {
        metrics.countQuery(query.qtype, 'cached', transport);
        return this.fit(cached, raw, query, transport);
      }
      return this.forward(raw, query, transport);
    } catch (err) {
      return this.servfail(raw, query, transport, err);
    }
  }

  private async forward(raw: Buffer, query: ParsedQuery, transport: Transport): Promise<Buffer | undefined> {
    try {
      const result = await this.options.forwarder.forward(raw, query);
      this.options.metrics.countQuery(query.qtype, result.source === 'cache' ? 'cached' : 'forwarded', transport);
      return this.fit(result.reply, raw, query, transport);
    } catch (err) {
      return this.servfail(raw, query, transport, err);
    }
  }

  /** Over UDP, a reply larger than the client accepts becomes an empty TC reply: the client retries over TCP. */
  private fit(reply: Buffer, raw: Buffer, query: ParsedQuery, transport: Transport): Buffer {
    if (transport === 'tcp' || reply.length <= clientUdpLimit(query, this.options.maxUdpPayload)) return reply;
    return buildEmptyReply(raw, query, reply.readUInt16BE(2) & 0xf, this.options.maxUdpPayload, true);
  }

  private servfail(raw: Buffer, query: ParsedQuery | undefined, transport: Transport, err: unknown): Buffer | undefined {
    this.options.metrics.countQuery(query?.qtype, 'servfail', transport);
    this.options.logger.debug(
      { name: query === undefined ? undefined : keyToName(query.nameKey), err: (err as Error)?.message },
      'answering SERVFAIL',
    );
    if (query === undefined) return raw.length >= 12 ? buildHeaderReply(raw.readUInt16BE(0), raw.readUInt16BE(2), Rcode.SERVFAIL) : undefined;
    return buildEmptyReply(raw, query, Rcode.SERVFAIL, this.options.maxUdpPayload);
  }
}
