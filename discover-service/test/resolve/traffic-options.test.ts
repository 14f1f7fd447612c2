import t from 'tap';
import { lbPolicyOption, weightOption } from '../../src/resolve/traffic-options.js';

t.test('LBPolicy and Weight', async (t) => {
  t.equal(lbPolicyOption({}), 'round_robin');
  t.equal(lbPolicyOption({ LBPolicy: 'peak_ewma' }), 'peak_ewma');
  t.equal(lbPolicyOption({ LBPolicy: 'maglev' }), 'round_robin');
  t.equal(weightOption({}), 100);
  t.equal(weightOption({ Weight: ' 7 ' }), 7);
  t.equal(weightOption({ Weight: '0' }), 1);
  t.equal(weightOption({ Weight: '5000' }), 1000);
  t.equal(weightOption({ Weight: 'heavy' }), 100);
});
