// Instructions per sign of one or more builds, counted by valgrind's callgrind rather than timed.
// Each server runs alone under callgrind with instrumentation off while it warms up, then on for
// the measured signs. The count covers every thread of the server in user space (JIT-compiled JS,
// V8's builtins, GC, the compiler, native code); the kernel's side of each syscall is not in it.
// JS code, the steady part, moved by 1-2% between runs of one build however loaded the machine
// was; the rest moves by more, with whether a collection or a compile falls in the window.
// Usage: node test/bench/instructions.mjs [--adapter fastify] [--warm 15000] [--signs 3000]
//   [--holders 100] [--callers 32] [--top 25] DIR [DIR...]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { attributeToJs, categorize, readCallgrind } from './instructions-report.mjs';
import { runSignCount } from './http-load.mjs';
import {
  HOST,
  benchArgs,
  freePort,
  getJson,
  killAllChildren,
  startFleet,
  stopChild,
  waitFor,
} from './lib.mjs';

const { options: opt, rest } = benchArgs(process.argv.slice(2), {
  adapter: 'fastify',
  warm: 15000,
  signs: 3000,
  holders: 100,
  callers: 32,
  top: 25,
});
const dirs = rest.map((dir) => resolve(dir));
for (const tool of ['valgrind', 'callgrind_control', 'callgrind_annotate']) {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
  } catch {
    console.error(`${tool} is not installed; it comes with valgrind (apt-get install valgrind)`);
    process.exit(2);
  }
}

const work = mkdtempSync(join(tmpdir(), 'sigsocket-instructions-'));
// vgdb, which callgrind_control talks through, names its files after $USER and $HOST; the server
// reads HOST too, so both sides must see the same value.
const env = { ...process.env, HOST };
const control = (pid, ...command) =>
  execFileSync('callgrind_control', [...command, String(pid)], { env, stdio: 'ignore' });

async function measure(dir, index) {
  const label = `${dir === resolve('.') ? 'this' : basename(dir)}#${index}`;
  const port = await freePort();
  const out = join(work, `${index}.callgrind`);
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      '--smc-check=all-non-file',
      `--callgrind-out-file=${out}`,
      process.execPath,
      '--max-semi-space-size=64',
      '--perf-basic-prof-only-functions',
      `${dir}/dist/main.js`,
    ],
    { env: { ...env, PORT: String(port), HTTP_ADAPTER: opt.adapter, LOG_LEVEL: 'warn' }, stdio: 'ignore' },
  );
  const perfMap = `/tmp/perf-${child.pid}.map`;
  try {
    await waitFor('listen', () => getJson(port, '/status'), 300_000, 500);
    const { fleet, keys } = await startFleet(port, opt.holders);
    try {
      const warm = await runSignCount(port, keys, { callers: opt.callers, signs: opt.warm });
      control(child.pid, '-z');
      control(child.pid, '-i', 'on');
      const measured = await runSignCount(port, keys, { callers: opt.callers, signs: opt.signs });
      control(child.pid, '-d');
      const failed = warm.failed + measured.failed;
      if (failed > 0) console.warn(`${label}: ${failed} signs failed`);
    } finally {
      await stopChild(fleet);
    }
    child.kill('SIGKILL');
    await new Promise((done) => child.once('exit', done));
    const functions = readCallgrind(`${out}.1`);
    return {
      label,
      categories: categorize(functions, opt.signs),
      js: attributeToJs(functions, perfMap, opt.signs),
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    if (existsSync(perfMap)) rmSync(perfMap);
  }
}

const results = [];
try {
  for (const [index, dir] of dirs.entries()) results.push(await measure(dir, index));
} finally {
  killAllChildren();
  rmSync(work, { recursive: true, force: true });
}

const names = [...new Set(results.flatMap((r) => Object.keys(r.categories)))].sort();
const sum = (r, only) =>
  Object.entries(r.categories).reduce((total, [name, ir]) => (only(name) ? total + ir : total), 0);
console.log(`adapter ${opt.adapter}; instructions per sign over ${opt.signs} signs after ${opt.warm}`);
console.log(['category'.padEnd(16), ...results.map((r) => r.label.padStart(12))].join(' '));
for (const name of names) {
  console.log(
    [name.padEnd(16), ...results.map((r) => (r.categories[name] ?? 0).toFixed(0).padStart(12))].join(' '),
  );
}
const base = results[0];
// GC, the compiler, V8's runtime and the builtins (write barriers and allocation slow paths cost
// more while a collection is under way) depend on what falls in the measured window, and moved by
// up to tens of thousands between runs of one build; JS code is the steady part.
const STEADY = new Set(['js code']);
for (const [title, only] of [
  ['total', () => true],
  ['js code', (name) => STEADY.has(name)],
]) {
  const ratios = results.map((r) => `${(sum(r, only) / sum(base, only)).toFixed(3)}x`.padStart(12));
  console.log([title.padEnd(16), ...ratios].join(' '));
}
// JS functions whose compiled code ran the most more, or less, than in the first build.
for (const r of results.slice(1)) {
  const keys = [...new Set([...Object.keys(r.js), ...Object.keys(base.js)])];
  const delta = (k) => (r.js[k] ?? 0) - (base.js[k] ?? 0);
  keys.sort((a, b) => Math.abs(delta(b)) - Math.abs(delta(a)));
  console.log(`\nJS code, ${r.label} against ${base.label} (instructions per sign):`);
  for (const k of keys.slice(0, opt.top)) console.log(`${delta(k).toFixed(0).padStart(8)}  ${k}`);
}
