// The cluster part: two SigSocket instances on their own redis-server against one instance without
// Redis, in the same run. It measures the hop (one sequential caller, a sign sent to the holder's
// instance against one sent to the other instance), CPU per sign across every server process
// (Redis included) and throughput, 2 instances against 1.
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runHttpLoad } from './http-load.mjs';
import {
  BENCH_DIR,
  HOST,
  ROOT,
  freePort,
  getJson,
  machineBusyMs,
  nextMessage,
  procCpuMs,
  spawnNode,
  spawnProgram,
  stopChild,
  summarize,
  waitFor,
} from './lib.mjs';

/** The length of one hop slice; same-instance and cross-instance slices alternate. */
const HOP_SLICE_S = 0.5;

function pingRedis(port) {
  return new Promise((done, fail) => {
    const socket = net.connect(port, HOST, () => socket.write('PING\r\n'));
    socket.setTimeout(1000, () => socket.destroy(new Error('timeout')));
    socket.once('data', (data) => {
      socket.end();
      done(data.toString().startsWith('+PONG'));
    });
    socket.once('error', fail);
  });
}

async function startRedis(logDir) {
  const port = await freePort();
  const args = ['--port', String(port), '--bind', HOST, '--save', '', '--appendonly', 'no'];
  const child = spawnProgram('redis-server', args, { logFile: resolve(logDir, 'redis.log') });
  await waitFor('redis-server to answer', () => pingRedis(port), 10_000);
  return { child, url: `redis://${HOST}:${port}/0` };
}

async function startInstance(name, env, ctx) {
  const port = await freePort();
  const child = spawnNode(`${ROOT}/dist/main.js`, [], {
    env: { HOST, PORT: String(port), LOG_LEVEL: ctx.options['log-level'], ...env },
    execArgv: [...ctx.startFlags, '--import', pathToFileURL(`${BENCH_DIR}/report-heap.mjs`).href],
    logFile: resolve(ctx.logDir, `${name}.log`),
    fds: ctx.options.holders + ctx.options.callers + 512,
  });
  await waitFor(`${name} to listen`, () => getJson(port, '/status'), 30_000);
  return { name, child, port };
}

async function startFleet(server, count, ctx) {
  const fleet = spawnNode(`${BENCH_DIR}/holders.mjs`, [`ws://${HOST}:${server.port}/ws`, String(count)], {
    fds: count + 256,
    logFile: resolve(ctx.logDir, `holders-${server.name}.log`),
  });
  const ready = await nextMessage(fleet, 'ready', 30_000 + count * 30);
  return { child: fleet, keys: ready.keys, failed: ready.failed };
}

async function allConnected(server, count) {
  await waitFor(
    `${count} holders registered`,
    async () => (await getJson(server.port, '/status')).connections === count,
    30_000,
  );
}

/** The cluster (instances A and B, half the holders on each) and the single instance. */
async function startSetups(ctx) {
  const half = Math.max(1, Math.floor(ctx.options.holders / 2));
  const clusterEnv = { REDIS_URL: ctx.redis.url, CLUSTER_PREFIX: `bench-${randomUUID().slice(0, 8)}` };
  const a = await startInstance('cluster-a', { ...ctx.env, ...clusterEnv }, ctx);
  const b = await startInstance('cluster-b', { ...ctx.env, ...clusterEnv }, ctx);
  const fleetA = await startFleet(a, half, ctx);
  const fleetB = await startFleet(b, half, ctx);
  await allConnected(a, fleetA.keys.length + fleetB.keys.length);
  const single = await startInstance('single', { ...ctx.env, REDIS_URL: '' }, ctx);
  const fleet = await startFleet(single, half * 2, ctx);
  await allConnected(single, fleet.keys.length);
  return {
    cluster: { a, b, fleetA, fleetB, keys: [...fleetA.keys, ...fleetB.keys] },
    single: { server: single, fleet },
    failed: fleetA.failed + fleetB.failed + fleet.failed,
    children: [fleetA.child, fleetB.child, fleet.child, a.child, b.child, single.child],
  };
}

/** One caller, holders on A: slices sent to A and to B alternate (AB BA AB ...) and are pooled. */
async function hopCost(setup, options) {
  const { a, b, fleetA } = setup.cluster;
  const runs = { same: [], cross: [] };
  const slice = (server, warmup = 0) =>
    runHttpLoad(server.port, fleetA.keys, { callers: 1, seconds: HOP_SLICE_S, warmup });
  await slice(a, options.warmup);
  await slice(b, options.warmup);
  const slices = Math.max(2, Math.round(options['hop-seconds'] / HOP_SLICE_S));
  for (let i = 0; i < slices; i++) {
    const order = i % 2 === 0 ? ['same', 'cross'] : ['cross', 'same'];
    for (const side of order) runs[side].push(await slice(side === 'same' ? a : b));
  }
  const pooled = (rs) =>
    summarize(
      rs.flatMap((r) => r.latencies),
      mergeErrors(rs),
      rs.reduce((acc, r) => acc + r.seconds, 0),
    );
  const same = pooled(runs.same);
  const cross = pooled(runs.cross);
  return { same, cross, p50: cross.p50 - same.p50, p90: cross.p90 - same.p90 };
}

function mergeErrors(results) {
  const errors = {};
  for (const r of results) for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  return errors;
}

/** CPU of each named process, and of the machine, in ms. */
function cpuSample(pids) {
  return {
    ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, procCpuMs(pid)])),
    machine: machineBusyMs(),
  };
}

/** A closed loop of `callers`, spread evenly over `servers`, each caller on random keys. */
async function loadRun(servers, keys, pids, options) {
  const before = cpuSample(pids);
  const share = (i) =>
    Math.floor(options.callers / servers.length) + (i < options.callers % servers.length ? 1 : 0);
  const results = await Promise.all(
    servers.map((s, i) => runHttpLoad(s.port, keys, { ...options, callers: share(i) })),
  );
  const after = cpuSample(pids);
  const cpu = Object.fromEntries(Object.keys(before).map((k) => [k, after[k] - before[k]]));
  const signs = results.reduce((acc, r) => acc + r.latencies.length + r.warmupOk + r.late, 0);
  return { results, cpu, signs };
}

function poolLoad(runs, serverKeys) {
  const results = runs.flatMap((r) => r.results);
  const seconds = runs.reduce((acc, r) => acc + r.results[0].seconds, 0);
  const signs = runs.reduce((acc, r) => acc + r.signs, 0);
  const cpuOf = (k) => runs.reduce((acc, r) => acc + r.cpu[k], 0);
  const perSign = Object.fromEntries(
    Object.keys(runs[0].cpu).map((k) => [`${k}CpuUsPerSign`, (cpuOf(k) * 1000) / signs]),
  );
  const serversUs = serverKeys.reduce((acc, k) => acc + perSign[`${k}CpuUsPerSign`], 0);
  return {
    ...summarize(
      results.flatMap((r) => r.latencies),
      mergeErrors(results),
      seconds,
    ),
    rounds: runs.length,
    cpuUsPerSign: serversUs,
    ...perSign,
  };
}

/** 1 instance and 2 alternate (1 2, 2 1, ...) under the same closed-loop load. */
async function loadCompare(setup, ctx) {
  const { cluster, single } = setup;
  const pids = {
    single: { server: single.server.child.pid, fleet: single.fleet.child.pid },
    cluster: {
      a: cluster.a.child.pid,
      b: cluster.b.child.pid,
      redis: ctx.redis.child.pid,
      fleetA: cluster.fleetA.child.pid,
      fleetB: cluster.fleetB.child.pid,
    },
  };
  const raw = { single: [], cluster: [] };
  for (let round = 0; round < ctx.options.rounds; round++) {
    const order = round % 2 === 0 ? ['single', 'cluster'] : ['cluster', 'single'];
    for (const mode of order) {
      process.stderr.write(`cluster round ${round + 1}/${ctx.options.rounds}: ${mode}\n`);
      const servers = mode === 'single' ? [single.server] : [cluster.a, cluster.b];
      const keys = mode === 'single' ? single.fleet.keys : cluster.keys;
      raw[mode].push(await loadRun(servers, keys, pids[mode], ctx.options));
    }
  }
  return { single: poolLoad(raw.single, ['server']), cluster: poolLoad(raw.cluster, ['a', 'b', 'redis']) };
}

export async function clusterPart(options, { startFlags, logDir }) {
  const env = { HTTP_ADAPTER: options['cluster-adapter'] };
  const redis = await startRedis(logDir);
  const ctx = { options, startFlags, logDir, env, redis };
  let setup;
  try {
    process.stderr.write('cluster: starting redis-server, 2 instances on it and 1 without it\n');
    setup = await startSetups(ctx);
    process.stderr.write('cluster: hop cost, one caller\n');
    const hop = await hopCost(setup, options);
    const load = await loadCompare(setup, ctx);
    return {
      adapter: env.HTTP_ADAPTER,
      holders: setup.cluster.keys.length,
      failedHolders: setup.failed,
      hop,
      ...load,
    };
  } finally {
    for (const child of setup?.children ?? []) await stopChild(child);
    redis.child.kill('SIGTERM');
  }
}
