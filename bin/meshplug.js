#!/usr/bin/env node
// The one `meshplug` executable: each package owns its subcommands and exports
// `runCli(command, argv)` from its `./cli` entry; this file only dispatches.
const commands = {
  serve: '@meshplug/discover-service/cli',
  routes: '@meshplug/discover-service/cli',
  'proxy-status': '@meshplug/discover-service/cli',
  inject: '@meshplug/discover-service/cli',
  demo: '@meshplug/discover-service/cli',
  proxy: '@meshplug/mesh-proxy/cli',
  dns: '@meshplug/dns-shim/cli',
};

const [command, ...argv] = process.argv.slice(2);
if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(
    'Usage: meshplug <command> [options]\n\nCommands:\n' +
      '  serve         discover-service (--source file:PATH | kube)\n' +
      '  proxy         mesh-proxy, the sidecar data plane\n' +
      '  dns           dns-shim, the pod-local DNS server\n' +
      '  inject        print manifests with sidecars injected\n' +
      '  routes        the routes table, for people\n' +
      '  proxy-status  which sidecar has which config version\n' +
      '  demo          the whole mesh on this machine\n\n' +
      "Run 'meshplug <command> --help' for a command's options.\n",
  );
  process.exit(command === undefined ? 2 : 0);
}
const entry = commands[command];
if (entry === undefined) {
  process.stderr.write(`meshplug: unknown command '${command}' (try 'meshplug --help')\n`);
  process.exit(2);
}
const { runCli } = await import(entry);
const code = await runCli(command, argv);
if (typeof code === 'number') process.exitCode = code;
