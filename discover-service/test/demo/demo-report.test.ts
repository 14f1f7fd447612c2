import t from 'tap';
import { formatSpread, formatStatuses } from '../../src/demo/demo-report.js';
import type { TrafficResult } from '../../src/demo/traffic/send-requests.js';

t.test('the spread table: one row per backend, shares of the 200 answers', async (t) => {
  const pod = (name: string, address: string) => ({ name, service: 'tomcat', address, ports: new Map([[8080, 65380]]) });
  const result: TrafficResult = {
    sent: 5,
    statuses: new Map([['200', 4], ['502', 1]]),
    backends: new Map([['tomcat-0', 3], ['tomcat-9', 1]]),
    failures: ['HTTP 502'],
  };
  t.equal(formatStatuses(result), '4 x 200, 1 x 502');
  t.equal(
    formatSpread([pod('tomcat-0', '127.0.1.11'), pod('tomcat-1', '127.0.1.12')], result),
    [
      'BACKEND   SIDECAR -> APP             REQUESTS  SHARE',
      'tomcat-0  127.0.1.11:65380 -> :8080  3         75%',
      'tomcat-1  127.0.1.12:65380 -> :8080  0         0%',
      'tomcat-9  (not a demo pod)           1         25%',
      '',
    ].join('\n'),
  );
});
