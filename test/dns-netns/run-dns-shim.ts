/** `meshplug dns` from source, for processes started inside a test network namespace. */
import { runCli } from '../../dns-shim/src/cli/main.js';

const code = await runCli('dns', process.argv.slice(2));
if (typeof code === 'number') process.exitCode = code;
