import t from 'tap';
import { NodeHttpTransport } from '../../src/client/node-http-transport.js';
import { transportConformance } from './transport-conformance.js';

transportConformance(t, () => new NodeHttpTransport());
