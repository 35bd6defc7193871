// Shared helpers for the bench processes: child processes, ports, polling, load loops, stats.
import { spawn, execFileSync } from 'node:child_process';
import { createWriteStream, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH_DIR, '../..');
export const RESULTS_DIR = resolve(ROOT, 'bench-results');
export const HOST = '127.0.0.1';

const children = new Set();
let cleanupInstalled = false;

/** Kills every child this process started; safe to call more than once. */
export function killAllChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  children.clear();
}

function installCleanup() {
  if (cleanupInstalled) return;
  cleanupInstalled = true;
  process.on('exit', killAllChildren);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      killAllChildren();
      process.exit(130);
    });
  }
  // A bench child whose parent is gone has nobody to report to.
  if (process.send !== undefined) process.on('disconnect', () => process.exit(0));
}

/** Starts a program that is not Node (redis-server, say); it is killed with the other children. */
export function spawnProgram(command, args = [], { logFile } = {}) {
  installCleanup();
  const stdio = ['ignore', logFile ? 'pipe' : 'ignore', logFile ? 'pipe' : 'ignore'];
  return track(spawn(command, args, { cwd: ROOT, stdio }), logFile);
}

/**
 * Starts `node [...execArgv] script ...args` with an IPC channel. When the process needs more
 * file descriptors than the soft limit allows, it is started through `bash -c 'ulimit -n'`.
 */
export function spawnNode(script, args = [], { env = {}, execArgv = [], logFile, fds = 0 } = {}) {
  installCleanup();
  const nodeArgs = [...execArgv, script, ...args];
  const stdio = ['ignore', logFile ? 'pipe' : 'inherit', logFile ? 'pipe' : 'inherit', 'ipc'];
  const options = { cwd: ROOT, env: { ...process.env, ...env }, stdio };
  const child =
    fds > softFdLimit()
      ? spawn(
          'bash',
          ['-c', `ulimit -n ${fds} 2>/dev/null; exec "$0" "$@"`, process.execPath, ...nodeArgs],
          options,
        )
      : spawn(process.execPath, nodeArgs, options);
  return track(child, logFile);
}

/** Kills `child` with the others on exit, and appends its output to `logFile`. */
function track(child, logFile) {
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (logFile) {
    const log = createWriteStream(logFile, { flags: 'a' });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
  }
  return child;
}

let cachedFdLimit;
export function softFdLimit() {
  cachedFdLimit ??= Number(execFileSync('bash', ['-c', 'ulimit -n']).toString().trim()) || 1024;
  return cachedFdLimit;
}

export function hardFdLimit() {
  const text = execFileSync('bash', ['-c', 'ulimit -Hn']).toString().trim();
  return text === 'unlimited' ? Infinity : Number(text);
}

/** Asks a child to exit through IPC (so `--cpu-prof` can write), then kills it if it lingers. */
export async function stopChild(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  if (child.connected) child.send({ cmd: 'exit' });
  else child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves with the first IPC message of `type`; rejects on exit or timeout. */
export function nextMessage(child, type, timeoutMs) {
  return new Promise((done, fail) => {
    const timer = setTimeout(
      () => finish(new Error(`no '${type}' message within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onMessage = (msg) => msg?.type === type && finish(null, msg);
    const onExit = (code, signal) => finish(new Error(`child exited (${code ?? signal}) before '${type}'`));
    function finish(error, msg) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) fail(error);
      else done(msg);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

export function freePort() {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.once('error', fail);
    server.listen(0, HOST, () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

export const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

/**
 * A bench script's command line: `--name value` pairs over `defaults` (numbers when they read as
 * one), and the other arguments in order.
 */
export function benchArgs(args, defaults) {
  const options = { ...defaults };
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith('--')) {
      rest.push(args[i]);
      continue;
    }
    const name = args[i].slice(2);
    const value = args[++i];
    options[name] = Number.isNaN(Number(value)) ? value : Number(value);
  }
  return { options, rest };
}

/** Polls `probe` until it returns a truthy value; bounded by `timeoutMs`. */
export async function waitFor(what, probe, timeoutMs, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : last})`);
}

/** GET a JSON document over a fresh connection. */
export function getJson(port, path) {
  return new Promise((done, fail) => {
    const req = http.get({ host: HOST, port, path, agent: false, timeout: 2000 }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => {
        try {
          done(JSON.parse(text));
        } catch (error) {
          fail(error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', fail);
  });
}

/** VmRSS of a process in bytes, from /proc. */
export function readRss(pid) {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * A closed loop: `callers` loops each await `callOnce()` back to back for `warmup + seconds`.
 * `callOnce` resolves to null on success or to an error label. Successes that complete inside
 * the measured window count towards throughput and latency; errors count at any time.
 */
export async function closedLoop({ callers, seconds, warmup, callOnce }) {
  const start = performance.now();
  const measureFrom = start + warmup * 1000;
  const stopAt = measureFrom + seconds * 1000;
  const latencies = [];
  const errors = {};
  let warmupOk = 0;
  let late = 0;
  async function loop() {
    while (performance.now() < stopAt) {
      const t0 = performance.now();
      let label;
      try {
        label = await callOnce();
      } catch (error) {
        label = `exception:${error?.code ?? error?.message ?? error}`;
      }
      const t1 = performance.now();
      if (label !== null) errors[label] = (errors[label] ?? 0) + 1;
      else if (t1 < measureFrom) warmupOk++;
      else if (t1 <= stopAt) latencies.push(t1 - t0);
      else late++;
    }
  }
  await Promise.all(Array.from({ length: callers }, loop));
  return { latencies, errors, seconds, warmupOk, late };
}

export function summarize(latencies, errors, seconds, extra = {}) {
  const sorted = Float64Array.from(latencies).sort();
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  return {
    ok: sorted.length,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 0.5),
    p90: percentile(sorted, 0.9),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1] : NaN,
    errorCount,
    errors,
    ...extra,
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/** Pools several load results (alternation rounds) into one. */
export function pool(results) {
  const latencies = [];
  const errors = {};
  let seconds = 0;
  for (const r of results) {
    for (const latency of r.latencies) latencies.push(latency);
    seconds += r.seconds;
    for (const [k, v] of Object.entries(r.errors)) errors[k] = (errors[k] ?? 0) + v;
  }
  return summarize(latencies, errors, seconds, { rounds: results.length });
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat. */
export function procCpuMs(pid) {
  const { user, system } = procCpuSplitMs(pid);
  return user + system;
}

/** CPU time a process has used in user space and in the kernel, in ms, from /proc/<pid>/stat. */
export function procCpuSplitMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) * TICK_MS, system: Number(fields[12]) * TICK_MS };
}

/** Busy CPU time of the whole machine (all cores), in ms, from /proc/stat. */
export function machineBusyMs() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8')
    .split('\n', 1)[0]
    .trim()
    .split(/\s+/)
    .map(Number);
  return (user + nice + system + irq + softirq + steal) * TICK_MS;
}

/**
 * Starts `count` holders (`holders.mjs`, protocol v1 or v2) on the server at `port` and waits until
 * the server counts every one that connected. Resolves with the fleet's process and its keys.
 */
export async function startFleet(port, count, { protocol = 'v1', logFile } = {}) {
  const fleet = spawnNode(`${BENCH_DIR}/holders.mjs`, [`ws://${HOST}:${port}/ws`, String(count), protocol], {
    fds: count + 256,
    logFile,
  });
  const ready = await nextMessage(fleet, 'ready', 30_000 + count * 30);
  await waitFor(
    `${ready.keys.length} holders registered`,
    async () => (await getJson(port, '/status')).connections === ready.keys.length,
    30_000,
  );
  return { fleet, keys: ready.keys, failed: ready.failed };
}
