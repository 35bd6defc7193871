// GC cost per sign of one or more builds: each server runs alone with `--trace-gc-nvp`, 300 holders
// and 32 callers, and the scavenges of the measured window are summed: bytes allocated, bytes
// that survived a scavenge and bytes promoted to the old generation, per sign, with the main
// thread's GC pause and the mark-compacts. Promoted bytes per sign barely depend on the machine's
// load, so they compare builds where CPU figures are too noisy to.
// Usage: node test/bench/gc.mjs [--adapter fastify] [--seconds 4] DIR [DIR...]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runHttpLoad } from './http-load.mjs';
import {
  HOST,
  benchArgs,
  freePort,
  getJson,
  killAllChildren,
  spawnNode,
  startFleet,
  stopChild,
  waitFor,
} from './lib.mjs';

const { options: opt, rest } = benchArgs(process.argv.slice(2), { adapter: 'fastify', seconds: 4 });
const dirs = rest.map((dir) => resolve(dir));
const logs = mkdtempSync(join(tmpdir(), 'sigsocket-gc-'));

/** The fields of the `--trace-gc-nvp` lines logged between `from` and `to` ms of the process's life. */
function gcLines(file, from, to) {
  const lines = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^\[\d+:0x[0-9a-f]+\]\s+(\d+) ms: (.*)$/.exec(line);
    if (!m || Number(m[1]) < from || Number(m[1]) > to) continue;
    lines.push(Object.fromEntries(m[2].split(' ').map((kv) => kv.split('='))));
  }
  return lines;
}

async function measure(dir, n) {
  const port = await freePort();
  const log = join(logs, `server-${n}.log`);
  const spawnedAt = Date.now();
  const server = spawnNode(`${dir}/dist/main.js`, [], {
    env: { HOST, PORT: String(port), HTTP_ADAPTER: opt.adapter, LOG_LEVEL: 'warn' },
    execArgv: ['--max-semi-space-size=64', '--trace-gc-nvp'],
    logFile: log,
    fds: 4096,
  });
  try {
    await waitFor('listen', () => getJson(port, '/status'), 30_000);
    const { fleet, keys } = await startFleet(port, 300);
    await runHttpLoad(port, keys, { callers: 32, seconds: 1, warmup: 0.3 });
    const from = Date.now() - spawnedAt;
    const r = await runHttpLoad(port, keys, { callers: 32, seconds: Number(opt.seconds), warmup: 0 });
    const to = Date.now() - spawnedAt;
    await stopChild(fleet);
    return { signs: r.latencies.length + r.warmupOk + r.late, from, to, log };
  } finally {
    server.kill('SIGTERM');
    await stopChild(server);
  }
}

console.log(`adapter ${opt.adapter}, ${opt.seconds} s of load per build; per sign:`);
for (const [n, dir] of dirs.entries()) {
  const { signs, from, to, log } = await measure(dir, n);
  const lines = gcLines(log, from, to);
  const sum = (field, gc) =>
    lines.filter((l) => !gc || l.gc === gc).reduce((s, l) => s + Number(l[field] ?? 0), 0);
  const per = (bytes) => (bytes / signs).toFixed(0).padStart(6);
  console.log(
    `${dir.padEnd(24)} allocated ${per(sum('allocated'))} B  survived ${per(sum('new_space_survived', 's'))} B` +
      `  promoted ${per(sum('promoted', 's'))} B  GC pause ${((sum('pause') * 1000) / signs).toFixed(1)} us` +
      `  scavenges ${lines.filter((l) => l.gc === 's').length}  mark-compacts ${lines.filter((l) => l.gc === 'mc').length}  (${signs} signs)`,
  );
}
killAllChildren();
