import t from 'tap';
import { ChildGroup } from '../../../src/demo/process/child-group.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the first line `child` printed that matches `pattern` (bounded). */
async function firstLine(lines: string[], pattern: RegExp): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const hit = lines.find((l) => pattern.test(l));
    if (hit !== undefined) return hit;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no line ${pattern}: ${lines.join('|')}`);
}

t.test('an unexpected exit is reported with the last output lines', async (t) => {
  const group = new ChildGroup();
  t.teardown(() => group.stopAll(1000));
  group.start({ name: 'quitter', command: process.execPath, args: ['-e', 'console.log("one"); console.error("two"); process.exit(3)'] });
  const child = await group.unexpectedExit;
  t.equal(child.name, 'quitter');
  t.equal(child.describe(), 'quitter exited with code 3');
  t.match(child.tail(), /quitter \| one/);
  t.match(child.tail(), /quitter \| two/);
});

t.test('a command that does not exist is an exit too', async (t) => {
  const group = new ChildGroup();
  const child = group.start({ name: 'ghost', command: '/nonexistent/meshplug-ghost', args: [] });
  const exit = await child.exited;
  t.ok(exit.error, 'spawn error kept');
  t.match(child.describe(), /ghost could not start/);
});

t.test('stopAll stops the whole process group, SIGKILL after the grace period', async (t) => {
  const group = new ChildGroup();
  const lines: string[] = [];
  // Ignores SIGTERM and forks a grandchild: only a group SIGKILL ends both.
  const script =
    "process.on('SIGTERM',()=>{});" +
    "const g=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});" +
    "console.log('grandchild '+g.pid);setInterval(()=>{},1000);";
  const child = group.start({ name: 'stubborn', command: process.execPath, args: ['-e', script], onLine: (l) => lines.push(l) });
  const grandchild = Number((await firstLine(lines, /^grandchild \d+/)).split(' ')[1]);
  t.ok(alive(grandchild), 'grandchild running');
  let reported = false;
  void group.unexpectedExit.then(() => (reported = true));
  await group.stopAll(200);
  t.equal(child.exitStatus?.signal, 'SIGKILL', 'killed after the grace period');
  for (let i = 0; i < 100 && alive(grandchild); i++) await new Promise((r) => setTimeout(r, 20));
  t.notOk(alive(grandchild), 'grandchild gone with the group');
  await new Promise((r) => setImmediate(r));
  t.notOk(reported, 'a requested stop is not an unexpected exit');
});
