import t from 'tap';
import { PluginApiErrors } from '../../src/errors/catalogue.js';
import { MeshplugError } from '../../src/errors/mesh-error.js';

t.test('plugin-api error codes are unique, start with API_ERR_ and build MeshplugErrors', async (t) => {
  const codes = Object.keys(PluginApiErrors);
  t.ok(codes.length > 0);
  t.equal(new Set(codes).size, codes.length, 'unique');
  for (const code of codes) {
    t.match(code, /^API_ERR_[A-Z0-9_]+$/, code);
    const Factory = PluginApiErrors[code as keyof typeof PluginApiErrors];
    const error = new Factory('detail');
    t.ok(error instanceof MeshplugError, `${code} extends MeshplugError`);
    t.ok(error instanceof Error);
    t.equal(error.code, code);
    t.equal(error.name, code);
    t.ok(Number.isInteger(error.statusCode) && error.statusCode >= 400 && error.statusCode < 600, `${code} status`);
    t.match(error.message, /: detail$/);
    t.strictSame(error.toJSON(), { code, message: error.message });
  }
});

t.test('a cause is kept', async (t) => {
  const cause = new Error('boom');
  const error = new PluginApiErrors.API_ERR_INVALID_OBJECT('x', { cause });
  t.equal(error.cause, cause);
  t.equal(error.statusCode, 422);
});
