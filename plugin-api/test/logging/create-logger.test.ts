import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../src/logging/create-logger.js';

t.test('JSON lines with the name, level and child bindings', async (t) => {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const logger = createLogger('mesh-proxy', { level: 'debug', destination });
  logger.child({ component: 'follower' }).info({ version: 'v1' }, 'applied');
  logger.trace('dropped below the level');
  t.equal(lines.length, 1);
  const entry = JSON.parse(lines[0]!);
  t.match(entry, { name: 'mesh-proxy', component: 'follower', version: 'v1', msg: 'applied', level: 30 });
});

t.test('the silent logger writes nothing', async (t) => {
  t.equal(silentLogger().level, 'silent');
});
