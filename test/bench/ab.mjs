// A/B CPU per sign of several builds, with every server up at once and short load bursts
// alternated between them, so a slowly changing load on the machine hits each build alike.
// Usage: node test/bench/ab.mjs [--adapter express] [--bursts 8] [--seconds 2] [--processes 1]
//   [--prof DIR] [--flags '--heap-prof --heap-prof-dir=D'] DIR [DIR...]
// With --processes P, every build runs in P server processes one after another, --bursts each, and
// its figures pool them: on Node 20 a process can settle with code that costs a few % more per sign
// for its whole life (test/bench/README.md), so one process per build is one draw.
// Each DIR is a checkout with dist/ built; `.` is this one. `DIR:v2` runs that build with holders that
// speak protocol v2, so `. .:v2` compares the two protocols on one build.
import { resolve, basename } from 'node:path';
import {
  HOST,
  getJson,
  procCpuSplitMs,
  spawnNode,
  startFleet,
  stopChild,
  freePort,
  waitFor,
  killAllChildren,
  benchArgs,
} from './lib.mjs';
import { runHttpLoad } from './http-load.mjs';

const { options: opt, rest } = benchArgs(process.argv.slice(2), {
  adapter: 'express',
  bursts: 8,
  seconds: 2,
  processes: 1,
  holders: 300,
  callers: 32,
  prof: '',
  flags: '',
});
const dirs = rest.map((arg) => {
  const [dir, holders = 'v1'] = arg.split(':');
  return { dir: resolve(dir), holders };
});

async function start({ dir, holders }, round) {
  const label = `${dir === resolve('.') ? 'this' : basename(dir)}${holders === 'v1' ? '' : `-${holders}`}`;
  const port = await freePort();
  const child = spawnNode(`${dir}/dist/main.js`, [], {
    env: { HOST, PORT: String(port), HTTP_ADAPTER: opt.adapter, LOG_LEVEL: 'warn' },
    execArgv: [
      '--max-semi-space-size=64',
      ...(opt.flags ? opt.flags.split(' ') : []),
      ...(opt.prof
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${opt.prof}`,
            `--cpu-prof-name=${label}-${opt.adapter}${opt.processes > 1 ? `-${round}` : ''}.cpuprofile`,
          ]
        : []),
    ],
    fds: 4096,
  });
  await waitFor('listen', () => getJson(port, '/status'), 30_000);
  const { fleet, keys } = await startFleet(port, opt.holders, { protocol: holders });
  return {
    name: label,
    dir,
    port,
    child,
    fleet,
    keys,
  };
}

/** Runs the bursts on one fresh process per build, adding to each build's totals. */
async function runProcesses(totals, round) {
  const servers = [];
  try {
    for (const dir of dirs) servers.push(await start(dir, round));
    for (let b = 0; b < opt.bursts; b++) {
      const order = b % 2 === 0 ? servers.keys() : [...servers.keys()].reverse();
      for (const i of order) {
        const s = servers[i];
        const before = procCpuSplitMs(s.child.pid);
        const r = await runHttpLoad(s.port, s.keys, {
          callers: opt.callers,
          seconds: opt.seconds,
          warmup: 0.3,
        });
        const after = procCpuSplitMs(s.child.pid);
        const cpu = after.user + after.system - before.user - before.system;
        const signs = r.latencies.length + r.warmupOk + r.late;
        const t = (totals[i] ??= { name: s.name, cpu: 0, system: 0, signs: 0, per: [] });
        t.system += after.system - before.system;
        t.cpu += cpu;
        t.signs += signs;
        t.per.push((cpu * 1000) / signs);
      }
    }
  } finally {
    for (const s of servers) {
      await stopChild(s.fleet);
      // A server has no IPC handler: SIGTERM is its graceful stop, which also writes --cpu-prof.
      s.child.kill('SIGTERM');
      await stopChild(s.child);
    }
  }
}

const totals = [];
try {
  for (let p = 0; p < opt.processes; p++) await runProcesses(totals, p);
  const base = totals[0].cpu / totals[0].signs;
  for (const s of totals) {
    const us = (s.cpu * 1000) / s.signs;
    const sorted = [...s.per].sort((a, b) => a - b);
    // Each burst of this build beside the first build's burst of the same round, which ran next to it.
    const paired = s.per.map((x, i) => x / totals[0].per[i]).sort((a, b) => a - b);
    console.log(
      `${s.name.padEnd(16)} ${us.toFixed(0).padStart(5)} us/sign  ${(s.cpu / s.signs / base).toFixed(3)}x  median ${sorted[sorted.length >> 1].toFixed(0)}  paired median ${paired[paired.length >> 1].toFixed(3)}x  kernel ${((s.system * 1000) / s.signs).toFixed(0)} us/sign  signs ${s.signs}`,
    );
  }
} finally {
  killAllChildren();
}
