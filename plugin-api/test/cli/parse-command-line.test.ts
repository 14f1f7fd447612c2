import t from 'tap';
import { parseCommandLine, formatHelp, envName, type CommandSpec } from '../../src/cli/parse-command-line.js';

const spec: CommandSpec = {
  usage: 'meshplug test',
  description: 'a test command',
  flags: {
    'config-url': { type: 'string', description: 'where', default: 'http://x' },
    verbose: { type: 'boolean', description: 'more' },
    file: { type: 'string', short: 'f', description: 'a file' },
  },
};

t.test('flag beats env beats default', async (t) => {
  t.equal(envName('config-url'), 'MESHPLUG_CONFIG_URL');
  t.equal(parseCommandLine(spec, [], {}).values['config-url'], 'http://x');
  t.equal(parseCommandLine(spec, [], { MESHPLUG_CONFIG_URL: 'http://env' }).values['config-url'], 'http://env');
  t.equal(
    parseCommandLine(spec, ['--config-url', 'http://flag'], { MESHPLUG_CONFIG_URL: 'http://env' }).values['config-url'],
    'http://flag',
  );
  t.equal(parseCommandLine(spec, [], { MESHPLUG_VERBOSE: 'false' }).values.verbose, false);
  t.equal(parseCommandLine(spec, [], { MESHPLUG_VERBOSE: '1' }).values.verbose, true);
  const p = parseCommandLine(spec, ['-f', 'a.yaml', 'ns/svc']);
  t.equal(p.values.file, 'a.yaml');
  t.same(p.positionals, ['ns/svc']);
});

t.test('unknown flag is an error naming it', async (t) => {
  t.throws(() => parseCommandLine(spec, ['--nope']), { code: 'API_ERR_INVALID_OPTION', message: /--nope/ });
});

t.test('help lists every flag with its env variable', async (t) => {
  const h = formatHelp(spec);
  t.match(h, /--config-url VALUE\s+where \(default: http:\/\/x\) \[env MESHPLUG_CONFIG_URL\]/);
  t.match(h, /-f, --file VALUE/);
  t.equal(parseCommandLine(spec, ['--help']).help, true);
});
