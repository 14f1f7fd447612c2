import t from 'tap';
import { searchCandidates } from '../../../src/demo/traffic/search-list.js';

const searches = ['shop.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

t.test('resolv.conf order', async (t) => {
  t.same(searchCandidates('tomcat', searches, 5), [
    'tomcat.shop.svc.cluster.local',
    'tomcat.svc.cluster.local',
    'tomcat.cluster.local',
    'tomcat',
  ]);
  t.same(searchCandidates('a.b.c.d.e.f', searches, 5).slice(0, 2), ['a.b.c.d.e.f', 'a.b.c.d.e.f.shop.svc.cluster.local'], 'enough dots: as is first');
  t.same(searchCandidates('tomcat.shop.svc.cluster.local.', searches, 5), ['tomcat.shop.svc.cluster.local'], 'trailing dot: absolute only');
});
