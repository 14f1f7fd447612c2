import t from 'tap';
import { validateDnsTable } from '../../src/table/validate-dns-table.js';
import { sampleTable } from '../helpers/tables.js';

t.test('a good table comes back frozen', async (t) => {
  const v = validateDnsTable(sampleTable());
  t.ok(Object.isFrozen(v));
  t.ok(Object.isFrozen(v.records[0]?.names));
});

t.test('bad fields are rejected with their path', async (t) => {
  const base = sampleTable();
  const cases: [unknown, RegExp][] = [
    [null, /dns: not an object/],
    [{ ...base, records: {} }, /dns\.records: not an array/],
    [{ ...base, ttl: -1 }, /dns\.ttl/],
    [{ ...base, clusterDomain: 'a..b' }, /dns\.clusterDomain/],
    [{ ...base, upstream: ['dns.example:53'] }, /dns\.upstream\[0\]/],
    [{ ...base, searches: [1] }, /dns\.searches/],
    [{ ...base, records: [{ ...base.records[0], address: 'nope' }] }, /dns\.records\[0\]\.address/],
    [{ ...base, records: [{ ...base.records[0], names: ['ok', 'bad name'] }] }, /dns\.records\[0\]\.names\[1\]/],
    [{ ...base, records: [{ ...base.records[0], service: 'tomcat' }] }, /dns\.records\[0\]\.service/],
    [{ ...base, records: [{ ...base.records[0], ports: [{ name: 'h', port: 0, protocol: 'tcp' }] }] }, /dns\.records\[0\]\.ports\[0\]\.port/],
  ];
  for (const [value, message] of cases) {
    t.throws(() => validateDnsTable(value), { code: 'DNS_ERR_INVALID_TABLE', message }, String(message));
  }
});
