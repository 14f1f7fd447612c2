import t from 'tap';
import { Agent } from 'undici';
import { UndiciTransport } from '../../src/client/undici-transport.js';
import { transportConformance } from './transport-conformance.js';

const agent = new Agent();
t.teardown(() => agent.close());
transportConformance(t, () => new UndiciTransport(agent));
