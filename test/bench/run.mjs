// SigSocket bench runner. `npm run bench [-- <parts...>] [--holders K] [--callers C] [--seconds T]
// [--idle N] [--warmup S] [--rounds R] [--verify-seconds S] [--hop-seconds S] [--profile]`. Parts:
// verifier, e2e, inproc, idle, cluster (default: all). Prints a table with ratios against the bare baseline measured in
// the same run, and writes bench-results/latest.json.
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { clusterPart } from './cluster-part.mjs';
import { measureVerifiers } from './verifier-part.mjs';
import { runHttpLoad } from './http-load.mjs';
import { printProfile, summarizeProfile } from './profile-summary.mjs';
import { printReport } from './report.mjs';
import {
  BENCH_DIR,
  HOST,
  RESULTS_DIR,
  ROOT,
  freePort,
  getJson,
  hardFdLimit,
  killAllChildren,
  machineBusyMs,
  nextMessage,
  pool,
  procCpuMs,
  readRss,
  sleep,
  softFdLimit,
  spawnNode,
  startFleet,
  stopChild,
  summarize,
  waitFor,
} from './lib.mjs';

const PARTS = ['verifier', 'e2e', 'inproc', 'idle', 'cluster'];
const DEFAULTS = {
  holders: 1000,
  callers: 64,
  seconds: 10,
  idle: 10000,
  warmup: 1,
  rounds: 2,
  'idle-rounds': 1,
  'verify-seconds': 4,
  'log-level': 'info',
  targets: 'baseline,sigsocket-express,sigsocket-fastify',
  compare: '',
  adapters: 'express,fastify',
  'hop-seconds': 10,
  'cluster-adapter': 'fastify',
};

const TARGETS = {
  baseline: { script: `${BENCH_DIR}/baseline-server.mjs`, env: {} },
  'sigsocket-express': { script: `${ROOT}/dist/main.js`, env: { HTTP_ADAPTER: 'express' } },
  'sigsocket-fastify': { script: `${ROOT}/dist/main.js`, env: { HTTP_ADAPTER: 'fastify' } },
  // The same servers with holders speaking protocol v2 (`--targets ...,sigsocket-fastify-v2`).
  'sigsocket-express-v2': { script: `${ROOT}/dist/main.js`, env: { HTTP_ADAPTER: 'express' }, holders: 'v2' },
  'sigsocket-fastify-v2': { script: `${ROOT}/dist/main.js`, env: { HTTP_ADAPTER: 'fastify' }, holders: 'v2' },
};
let TARGET_ORDER = Object.keys(TARGETS);

/**
 * The Node flags `npm start` runs the server with. Every server here, the baseline included, gets
 * them, so SigSocket starts the way users start it and the baseline gets the same runtime.
 */
const START_FLAGS = (() => {
  const { start } = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')).scripts;
  const match = /^node((?: --\S+)*) dist\/main\.js$/.exec(start);
  if (match === null) throw new Error(`cannot read the node flags from the start script: ${start}`);
  return match[1].split(' ').filter(Boolean);
})();

function parseArgs(argv) {
  const options = { ...DEFAULTS, profile: false, parts: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--profile') options.profile = true;
    else if (arg.startsWith('--')) {
      const [name, inline] = arg.slice(2).split('=', 2);
      if (!(name in DEFAULTS)) throw new Error(`unknown option --${name}`);
      const value = inline ?? argv[++i];
      options[name] = typeof DEFAULTS[name] === 'number' ? Number(value) : value;
      if (typeof DEFAULTS[name] === 'number' && !(options[name] >= 0))
        throw new Error(`bad value for --${name}`);
    } else if (PARTS.includes(arg)) options.parts.push(arg);
    else throw new Error(`unknown part '${arg}' (parts: ${PARTS.join(', ')})`);
  }
  if (options.parts.length === 0) options.parts = [...PARTS];
  const targets = options.targets.split(',').filter(Boolean);
  const dirs = options.compare.split(',').filter(Boolean);
  for (const dir of dirs) targets.push(...addCompareTargets(resolve(dir), dirs.length > 1));
  const adapters = options.adapters.split(',').filter(Boolean);
  const adapterOf = (t) => /-(express|fastify)$/.exec(t)?.[1];
  for (let i = targets.length - 1; i >= 0; i--) {
    const adapter = adapterOf(targets[i]);
    if (adapter !== undefined && !adapters.includes(adapter)) targets.splice(i, 1);
  }
  for (const t of targets) if (!(t in TARGETS)) throw new Error(`unknown target '${t}'`);
  if (!targets.includes('baseline')) throw new Error('--targets must include baseline');
  TARGET_ORDER = Object.keys(TARGETS).filter((t) => targets.includes(t));
  return options;
}

/**
 * `--compare DIR[,DIR...]`: other builds of SigSocket (checkouts with `dist/` built, such as a
 * worktree of the previous commit) measured in the same run: one as `before-express` and
 * `before-fastify`, several as `<folder name>-express` and `<folder name>-fastify`.
 */
function addCompareTargets(dir, named) {
  const label = named ? basename(dir) : 'before';
  for (const adapter of ['express', 'fastify']) {
    TARGETS[`${label}-${adapter}`] = { script: `${dir}/dist/main.js`, env: { HTTP_ADAPTER: adapter } };
  }
  return [`${label}-express`, `${label}-fastify`];
}

const logDir = resolve(RESULTS_DIR, 'logs');
const profileDir = resolve(RESULTS_DIR, 'profiles');

/**
 * Descriptors for a server that holds `sockets` at once: SigSocket's default MAX_CONNECTIONS is 90%
 * of its limit, and the process needs some for itself.
 */
function serverFds(sockets) {
  return Math.ceil((sockets + 256) / 0.9);
}

async function startServer(name, options, { profile = false, fds = 1024 } = {}) {
  const port = await freePort();
  const execArgv = [...START_FLAGS, '--import', pathToFileURL(`${BENCH_DIR}/report-heap.mjs`).href];
  if (profile) {
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${profileDir}`,
      `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
    );
  }
  const child = spawnNode(TARGETS[name].script, [], {
    env: { HOST, PORT: String(port), LOG_LEVEL: options['log-level'], ...TARGETS[name].env },
    execArgv,
    logFile: resolve(logDir, `${name}.log`),
    fds,
  });
  await waitFor(`${name} to listen`, () => getJson(port, '/status'), 30_000);
  return { child, port };
}

async function e2eRun(name, options) {
  const { child, port } = await startServer(name, options, {
    profile: options.profile,
    fds: serverFds(options.holders + options.callers),
  });
  try {
    const { fleet, keys, failed } = await startFleet(port, options.holders, {
      protocol: TARGETS[name].holders,
      logFile: resolve(logDir, 'holders.log'),
    });
    const before = cpuSample(child.pid, fleet.pid);
    const result = await runHttpLoad(port, keys, options);
    result.cpu = cpuDelta(before, cpuSample(child.pid, fleet.pid));
    result.signs = result.latencies.length + result.warmupOk + result.late;
    if (failed > 0) result.errors['holder_connect_failed'] = failed;
    await stopChild(fleet);
    return result;
  } finally {
    await stopChild(child);
  }
}

function cpuSample(serverPid, fleetPid) {
  const self = process.cpuUsage();
  return {
    server: procCpuMs(serverPid),
    fleet: procCpuMs(fleetPid),
    self: (self.user + self.system) / 1000,
    machine: machineBusyMs(),
    wall: Date.now(),
  };
}

function cpuDelta(a, b) {
  return Object.fromEntries(Object.keys(a).map((k) => [k, b[k] - a[k]]));
}

/** Server CPU per sign and the share of the machine other processes took, over all rounds. */
function cpuFigures(runs) {
  const sum = (k) => runs.reduce((acc, r) => acc + r.cpu[k], 0);
  const signs = runs.reduce((acc, r) => acc + r.signs, 0);
  const other = sum('machine') - sum('server') - sum('fleet') - sum('self');
  return {
    serverCpuUsPerSign: (sum('server') * 1000) / signs,
    fleetCpuUsPerSign: (sum('fleet') * 1000) / signs,
    otherCpuShare: Math.max(0, other) / (sum('wall') * os.cpus().length),
  };
}

async function e2ePart(options) {
  const raw = Object.fromEntries(TARGET_ORDER.map((t) => [t, []]));
  for (let round = 0; round < options.rounds; round++) {
    // ABC then CBA, so slow drift of the machine hits every target alike.
    const order = round % 2 === 0 ? TARGET_ORDER : [...TARGET_ORDER].reverse();
    for (const name of order) {
      process.stderr.write(`e2e round ${round + 1}/${options.rounds}: ${name}\n`);
      raw[name].push(await e2eRun(name, options));
    }
  }
  const pooled = Object.fromEntries(
    Object.entries(raw).map(([t, runs]) => [
      t,
      { ...pool(runs), ...cpuFigures(runs), perRound: runs.map((r) => pool([r]).perSecond) },
    ]),
  );
  if (options.profile) pooled.profiles = latestProfiles();
  return pooled;
}

function latestProfiles() {
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  const out = {};
  for (const name of TARGET_ORDER) {
    const latest = files
      .filter((f) => f.startsWith(`${name}-`))
      .sort()
      .at(-1);
    if (latest)
      out[name] = {
        file: `bench-results/profiles/${latest}`,
        ...summarizeProfile(resolve(profileDir, latest), 15),
      };
  }
  return out;
}

async function memoryOf(child) {
  const reply = nextMessage(child, 'memory', 10_000);
  child.send({ cmd: 'memory' });
  const usage = await reply;
  return { ...usage, rss: readRss(child.pid) };
}

async function idleRun(name, options) {
  const { child, port } = await startServer(name, options, { fds: serverFds(options.idle + 768) });
  try {
    await sleep(1000);
    const before = await memoryOf(child);
    const started = Date.now();
    const { fleet, keys, failed } = await startFleet(port, options.idle, {
      logFile: resolve(logDir, 'holders.log'),
    });
    const connectSeconds = (Date.now() - started) / 1000;
    await sleep(2000);
    const after = await memoryOf(child);
    await stopChild(fleet);
    const n = keys.length;
    const per = (field) => (after[field] - before[field]) / n;
    return {
      holders: n,
      failedHolders: failed,
      connectSeconds,
      rssPerConn: per('rss'),
      heapPerConn: per('heapUsed'),
      externalPerConn: (after.external + after.arrayBuffers - before.external - before.arrayBuffers) / n,
      before,
      after,
    };
  } finally {
    await stopChild(child);
  }
}

async function idlePart(options) {
  const runs = Object.fromEntries(TARGET_ORDER.map((t) => [t, []]));
  for (let round = 0; round < options['idle-rounds']; round++) {
    const order = round % 2 === 0 ? TARGET_ORDER : [...TARGET_ORDER].reverse();
    for (const name of order) {
      process.stderr.write(`idle round ${round + 1}/${options['idle-rounds']}: ${name}\n`);
      runs[name].push(await idleRun(name, options));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  return Object.fromEntries(
    Object.entries(runs).map(([t, rs]) => [
      t,
      {
        holders: rs[0].holders,
        failedHolders: rs.reduce((a, r) => a + r.failedHolders, 0),
        connectSeconds: median(rs.map((r) => r.connectSeconds)),
        rssPerConn: median(rs.map((r) => r.rssPerConn)),
        heapPerConn: median(rs.map((r) => r.heapPerConn)),
        externalPerConn: median(rs.map((r) => r.externalPerConn)),
        runs: rs,
      },
    ]),
  );
}

async function inprocPart(options) {
  process.stderr.write('inproc: SigningService in a Nest app, holders in a child process\n');
  const args = [options.holders, options.callers, options.seconds, options.warmup].map(String);
  const worker = spawnNode(`${BENCH_DIR}/inproc.mjs`, args, {
    execArgv: START_FLAGS,
    fds: options.holders + 256,
    logFile: resolve(logDir, 'inproc.log'),
  });
  const msg = await nextMessage(worker, 'result', 120_000 + (options.seconds + options.warmup) * 1000);
  await stopChild(worker);
  const errors = { ...msg.errors };
  if (msg.failedHolders > 0) errors['holder_connect_failed'] = msg.failedHolders;
  return summarize(msg.latencies, errors, msg.seconds);
}

function environment(options) {
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    totalMemGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    fdLimit: { soft: softFdLimit(), hard: hardFdLimit() },
    serverFlags: START_FLAGS,
    options,
  };
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  rmSync(logDir, { recursive: true, force: true });
  mkdirSync(logDir, { recursive: true });
  mkdirSync(profileDir, { recursive: true });
  const results = { environment: environment(options) };
  for (const part of PARTS.filter((p) => options.parts.includes(p))) {
    if (part === 'verifier') results.verifier = await measureVerifiers(options['verify-seconds']);
    if (part === 'e2e') results.e2e = await e2ePart(options);
    if (part === 'inproc') results.inproc = await inprocPart(options);
    if (part === 'idle') results.idle = await idlePart(options);
    if (part === 'cluster') results.cluster = await clusterPart(options, { startFlags: START_FLAGS, logDir });
  }
  results.targets = printReport(results);
  if (results.e2e?.profiles) {
    for (const [name, summary] of Object.entries(results.e2e.profiles)) {
      printProfile(`CPU profile ${name} (${summary.file})`, summary);
    }
  }
  const json = JSON.stringify(results, (k, v) => (k === 'latencies' ? undefined : v), 2);
  writeFileSync(resolve(RESULTS_DIR, 'latest.json'), json);
  writeFileSync(resolve(RESULTS_DIR, `bench-${results.environment.date.replace(/[:.]/g, '-')}.json`), json);
  console.log(`\nresults: bench-results/latest.json; server logs: bench-results/logs/`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(killAllChildren);
