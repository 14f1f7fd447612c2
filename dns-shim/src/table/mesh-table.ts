import { isIPv4 } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DnsRecord, DnsTable } from '@meshplug/plugin-api';
import { replyFlags, type PrebuiltAnswer } from '../wire/build-response.js';
import { HEADER_LENGTH, QCLASS_IN, QType, Rcode } from '../wire/dns-constants.js';
import { hashWireSuffixes, MAX_LABELS } from '../wire/name-hash.js';
import { nameToKey, normalizeName } from '../wire/name-key.js';
import type { ParsedQuery } from '../wire/parsed-query.js';
import { WireNameMap } from './wire-name-map.js';

/**
 * Answers of one mesh name: by qtype (one or two types per name, so parallel
 * arrays searched in a line beat a Map), and the NODATA reply for every other type.
 */
interface NameEntry {
  types: number[];
  answers: PrebuiltAnswer[];
  nodata: PrebuiltAnswer;
}

const SRV_PRIORITY = 0;
const SRV_WEIGHT = 100;

/**
 * The mesh names of one DNS table with every reply encoded in advance
 * (per name and type), so answering is a map lookup and a few copies.
 */
export class MeshTable {
  readonly version: string;
  readonly table: Readonly<DnsTable>;
  /** Names claimed by two records: the first record keeps them. */
  readonly conflicts: string[] = [];
  private readonly names = new WireNameMap<NameEntry>();
  /** Multi-label mesh names, which own their subtree: anything below them that is not listed is NXDOMAIN. */
  private readonly subtrees = new WireNameMap<PrebuiltAnswer>();
  /** Scratch of the subtree search (label offsets and suffix hashes of the question), reused by every lookup. */
  private readonly labelOffsets = new Int32Array(MAX_LABELS);
  private readonly suffixHashes = new Int32Array(MAX_LABELS);

  constructor(table: Readonly<DnsTable>, version: string) {
    this.table = table;
    this.version = version;
    for (const record of table.records) this.addRecord(record);
  }

  get size(): number {
    return this.names.size;
  }

  /**
   * The prebuilt reply for a query, or undefined when the name is not the
   * mesh's (forward it). Reads the name from the query's bytes: no allocation.
   */
  lookup(query: ParsedQuery): PrebuiltAnswer | undefined {
    if (query.qclass !== QCLASS_IN) return undefined;
    const raw = query.raw;
    const entry = this.names.find(raw, HEADER_LENGTH, query.nameHash);
    if (entry !== undefined) {
      const qtype = query.qtype;
      for (let i = 0; i < entry.types.length; i++) if (entry.types[i] === qtype) return entry.answers[i];
      return entry.nodata;
    }
    if (this.subtrees.size === 0 || raw[HEADER_LENGTH] === 0) return undefined;
    // Every proper suffix of the name, longest first, all hashed in one pass over it.
    const { labelOffsets, suffixHashes } = this;
    const labels = hashWireSuffixes(raw, HEADER_LENGTH, query.nameEnd, labelOffsets, suffixHashes);
    for (let label = 1; label < labels; label++) {
      const nx = this.subtrees.find(raw, labelOffsets[label] as number, suffixHashes[label] as number);
      if (nx !== undefined) return nx;
    }
    return undefined;
  }

  private addRecord(record: DnsRecord): void {
    const [namespace, service] = record.service.split('/') as [string, string];
    const fqdn = `${service}.${namespace}.svc.${this.table.clusterDomain}`;
    const addressType = isIPv4(record.address) ? 'A' : 'AAAA';
    const addressAnswer = (name: string): dnsPacket.Answer => ({
      type: addressType,
      name,
      ttl: this.table.ttl,
      class: 'IN',
      data: record.address,
    });
    for (const name of record.names) {
      const hostAnswer = this.encode(name, Rcode.NOERROR, { answers: [addressAnswer(name)] });
      if (!this.addName(name, [QType[addressType], QType.ANY], [hostAnswer, hostAnswer], record)) continue;
      if (name.includes('.')) this.subtrees.add(nameToKey(name) as string, this.negative(name, Rcode.NXDOMAIN, false));
      for (const proto of new Set(record.ports.map((p) => srvProtocol(p.protocol)))) {
        this.addName(`_${proto}.${name}`, [], [], record);
      }
      for (const port of record.ports) {
        const srvName = `_${port.name}._${srvProtocol(port.protocol)}.${name}`;
        const srv = this.encode(srvName, Rcode.NOERROR, {
          answers: [
            {
              type: 'SRV',
              name: srvName,
              ttl: this.table.ttl,
              class: 'IN',
              data: { priority: SRV_PRIORITY, weight: SRV_WEIGHT, port: port.port, target: fqdn },
            },
          ],
          additionals: [addressAnswer(fqdn)],
        });
        this.addName(srvName, [QType.SRV], [srv], record);
      }
    }
  }

  private addName(name: string, types: number[], answers: PrebuiltAnswer[], record: DnsRecord): boolean {
    const key = nameToKey(name);
    if (key === undefined) return false;
    if (!this.names.add(key, { types, answers, nodata: this.negative(name, Rcode.NOERROR) })) {
      this.conflicts.push(`${name} (${record.service})`);
      return false;
    }
    return true;
  }

  /** NODATA or NXDOMAIN with an SOA, so resolvers cache the negative answer for `ttl` (RFC 2308). */
  private negative(name: string, rcode: number, exact = true): PrebuiltAnswer {
    const domain = this.table.clusterDomain;
    const apex = name === domain || name.endsWith(`.${domain}`) ? domain : name;
    return this.encode(name, rcode, {
      authorities: [
        {
          type: 'SOA',
          name: apex,
          ttl: this.table.ttl,
          class: 'IN',
          data: {
            mname: `ns.dns.${domain}`,
            rname: `hostmaster.${domain}`,
            serial: 1,
            refresh: 7200,
            retry: 1800,
            expire: 86400,
            minimum: this.table.ttl,
          },
        },
      ],
    }, exact);
  }

  /**
   * Encodes the sections once with dns-packet and keeps what follows the
   * question; for an `exact` name (answered only for itself) also the whole
   * reply with the question lower-cased, which a query only patches.
   */
  private encode(
    name: string,
    rcode: number,
    sections: { answers?: dnsPacket.Answer[]; authorities?: dnsPacket.Answer[]; additionals?: dnsPacket.Answer[] },
    exact = true,
  ): PrebuiltAnswer {
    const packet = Buffer.from(
      dnsPacket.encode({
        type: 'response',
        questions: [{ name: normalizeName(name), type: 'A', class: 'IN' }],
        ...sections,
      }),
    );
    const questionLength = (nameToKey(name) as string).length + 4;
    packet.writeUInt16BE(0, 0);
    packet.writeUInt16BE(replyFlags(0, rcode, true), 2);
    return {
      rcode,
      authoritative: true,
      ancount: sections.answers?.length ?? 0,
      nscount: sections.authorities?.length ?? 0,
      arcount: sections.additionals?.length ?? 0,
      tail: packet.subarray(HEADER_LENGTH + questionLength),
      template: exact ? packet : undefined,
    };
  }
}

/** Kubernetes SRV names use the port's transport: `_tcp` unless it is UDP or SCTP. */
function srvProtocol(protocol: string): string {
  const p = protocol.toLowerCase();
  return p === 'udp' || p === 'sctp' ? p : 'tcp';
}
