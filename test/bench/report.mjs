// The printed table and the target checks. Every target is a ratio between figures of one run.

const pad = (value, width) => String(value).padStart(width);
const fixed = (x, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
const ratio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');
const kib = (bytes) => fixed(bytes / 1024, 2);

function errorText(errors) {
  const entries = Object.entries(errors ?? {});
  return entries.length === 0 ? 'none' : entries.map(([k, v]) => `${k}: ${v}`).join(', ');
}

function loadRow(label, r, base) {
  return [
    label.padEnd(20),
    pad(fixed(r.perSecond, 0), 9),
    pad(fixed(r.p50, 2), 8),
    pad(fixed(r.p90, 2), 8),
    pad(fixed(r.p99, 2), 8),
    pad(r.errorCount, 7),
    pad(base ? ratio(r.perSecond / base.perSecond) : '', 9),
    pad(base ? ratio(r.p99 / base.p99) : '', 9),
  ].join(' ');
}

function printVerifier(v) {
  console.log(
    `\n-- 1. verifier: SignatureVerifierService.verify, ${v.signatures} pre-made signatures, ${v.keys} keys`,
  );
  console.log(`${'backend'.padEnd(20)} ${pad('verify/s', 9)} ${pad('failures', 9)}`);
  for (const name of ['native', 'elliptic']) {
    console.log(`${name.padEnd(20)} ${pad(fixed(v[name].perSecond, 0), 9)} ${pad(v[name].failures, 9)}`);
  }
  console.log(`native / elliptic: ${ratio(v.ratio)}`);
}

function printLoadHeader() {
  console.log(
    `${'target'.padEnd(20)} ${pad('signs/s', 9)} ${pad('p50 ms', 8)} ${pad('p90 ms', 8)} ${pad('p99 ms', 8)} ${pad('errors', 7)} ${pad('thr/base', 9)} ${pad('p99/base', 9)}`,
  );
}

/** The measured targets in a part's results, baseline first. */
function targetsOf(part) {
  const known = ['baseline', 'sigsocket-express', 'sigsocket-fastify', 'before-express', 'before-fastify'];
  const others = Object.keys(part).filter((t) => /-(express|fastify)(-v2)?$/.test(t) && !known.includes(t));
  return [...known, ...others].filter((t) => part[t] !== undefined);
}

function printE2e(e2e, o) {
  console.log(
    `\n-- 2. end to end over HTTP: ${o.holders} holders, ${o.callers} callers, ${o.rounds} x ${o.seconds} s per target (ABC/CBA alternation)`,
  );
  printLoadHeader();
  const base = e2e.baseline;
  for (const name of targetsOf(e2e)) {
    console.log(loadRow(name, e2e[name], name === 'baseline' ? undefined : base));
  }
  console.log(
    `${'server CPU per sign'.padEnd(20)} ${pad('us/sign', 9)} ${pad('cpu/base', 8)} ${pad('other%', 8)}  signs/s per round`,
  );
  for (const name of targetsOf(e2e)) {
    const r = e2e[name];
    console.log(
      [
        name.padEnd(20),
        pad(fixed(r.serverCpuUsPerSign, 0), 9),
        pad(name === 'baseline' ? '' : ratio(r.serverCpuUsPerSign / base.serverCpuUsPerSign), 8),
        pad(fixed(r.otherCpuShare * 100, 1), 8),
        ` ${r.perRound.map((x) => fixed(x, 0)).join(' / ')}`,
      ].join(' '),
    );
  }
  for (const name of targetsOf(e2e)) {
    console.log(`errors ${name}: ${errorText(e2e[name].errors)}`);
  }
}

function printInproc(inproc, e2e, o) {
  console.log(
    `\n-- 3. in process: SigningService.sendToSign, ${o.holders} holders, ${o.callers} callers, ${o.seconds} s`,
  );
  printLoadHeader();
  console.log(loadRow('signing-service', inproc));
  console.log(`errors: ${errorText(inproc.errors)}`);
  if (e2e?.['sigsocket-express'])
    console.log(
      `in-process / sigsocket-express HTTP throughput: ${ratio(inproc.perSecond / e2e['sigsocket-express'].perSecond)}`,
    );
}

function printIdle(idle, o) {
  console.log(`\n-- 4. idle holders: ${o.idle} connected and introduced; server memory delta per connection`);
  console.log(
    `${'target'.padEnd(20)} ${pad('holders', 8)} ${pad('connect s', 9)} ${pad('RSS KiB', 9)} ${pad('heap KiB', 9)} ${pad('ext KiB', 9)} ${pad('rss/base', 9)} ${pad('heap/base', 9)}`,
  );
  const base = idle.baseline;
  for (const name of targetsOf(idle)) {
    const r = idle[name];
    const isBase = name === 'baseline';
    console.log(
      [
        name.padEnd(20),
        pad(r.holders, 8),
        pad(fixed(r.connectSeconds, 1), 9),
        pad(kib(r.rssPerConn), 9),
        pad(kib(r.heapPerConn), 9),
        pad(kib(r.externalPerConn), 9),
        pad(isBase ? '' : ratio(r.rssPerConn / base.rssPerConn), 9),
        pad(isBase ? '' : ratio(r.heapPerConn / base.heapPerConn), 9),
      ].join(' '),
    );
  }
}

function checks(results) {
  const out = [];
  const add = (name, value, limit, atLeast, unit) =>
    out.push({
      name,
      value,
      limit,
      unit,
      met: Number.isFinite(value) && (atLeast ? value >= limit : value <= limit),
    });
  const { e2e, idle, inproc, verifier, cluster } = results;
  if (e2e) {
    const base = e2e.baseline;
    const fastify = e2e['sigsocket-fastify'];
    const express = e2e['sigsocket-express'];
    if (fastify) {
      add('HTTP throughput, fastify / baseline', fastify.perSecond / base.perSecond, 0.8, true);
      add('p99 latency, fastify / baseline', fastify.p99 / base.p99, 1.5, false);
    }
    if (express) {
      add('HTTP throughput, express / baseline', express.perSecond / base.perSecond, 0.5, true);
      add('p99 latency, express / baseline', express.p99 / base.p99, 1.5, false);
    }
    // Protocol v2 against v1 on the same server: at most 5% more server CPU per sign.
    for (const adapter of ['express', 'fastify']) {
      const [v1, v2] = [e2e[`sigsocket-${adapter}`], e2e[`sigsocket-${adapter}-v2`]];
      if (v1 && v2) {
        add(
          `server CPU per sign, ${adapter} v2 / v1`,
          v2.serverCpuUsPerSign / v1.serverCpuUsPerSign,
          1.05,
          false,
        );
      }
    }
    for (const name of targetsOf(e2e)) {
      add(`errors at default load, ${name}`, e2e[name].errorCount, 0, false);
    }
  }
  if (idle) {
    for (const name of targetsOf(idle).filter((t) => t !== 'baseline')) {
      add(
        `idle RSS per connection, ${name} / baseline`,
        idle[name].rssPerConn / idle.baseline.rssPerConn,
        1.5,
        false,
      );
      add(
        `idle heap per connection, ${name} / baseline`,
        idle[name].heapPerConn / idle.baseline.heapPerConn,
        1.5,
        false,
      );
    }
  }
  if (inproc) {
    if (e2e?.['sigsocket-express'])
      add(
        'in-process / express HTTP throughput',
        inproc.perSecond / e2e['sigsocket-express'].perSecond,
        1.5,
        true,
      );
    add('errors at default load, in-process', inproc.errorCount, 0, false);
  }
  if (verifier) add('native / elliptic verify', verifier.ratio, 20, true);
  if (cluster) {
    add('cluster hop cost at p50, one caller', cluster.hop.p50, 0.5, false, 'ms');
    const errors = cluster.hop.same.errorCount + cluster.hop.cross.errorCount + cluster.cluster.errorCount;
    add('errors at default load, cluster', errors + cluster.single.errorCount, 0, false);
  }
  return out;
}

function printCluster(c, o) {
  console.log(
    `\n-- 5. cluster: 2 instances (${c.adapter}) on their own redis-server, ${c.holders} v1 holders, half on each`,
  );
  const hop = (label, r) =>
    `${label.padEnd(34)} ${pad(r.ok, 7)} ${pad(fixed(r.p50, 3), 8)} ${pad(fixed(r.p90, 3), 8)} ${pad(fixed(r.p99, 3), 8)} ${pad(r.errorCount, 7)}`;
  console.log(
    `${'hop: 1 sequential caller'.padEnd(34)} ${pad('signs', 7)} ${pad('p50 ms', 8)} ${pad('p90 ms', 8)} ${pad('p99 ms', 8)} ${pad('errors', 7)}`,
  );
  console.log(hop("sign sent to the holder's instance", c.hop.same));
  console.log(hop('sign sent to the other instance', c.hop.cross));
  console.log(`hop cost: p50 +${fixed(c.hop.p50, 3)} ms, p90 +${fixed(c.hop.p90, 3)} ms`);
  console.log(
    `\nload: ${o.callers} callers, ${o.rounds} alternated rounds of ${o.seconds} s; CPU us/sign from /proc`,
  );
  printLoadHeader();
  console.log(loadRow('1 instance, no Redis', c.single));
  console.log(loadRow('2 instances + Redis', c.cluster));
  const us = (x) => fixed(x, 0);
  console.log(
    `CPU per sign: 1 instance ${us(c.single.cpuUsPerSign)} us; 2 instances ${us(c.cluster.cpuUsPerSign)} us ` +
      `(A ${us(c.cluster.aCpuUsPerSign)} + B ${us(c.cluster.bCpuUsPerSign)} + redis ${us(c.cluster.redisCpuUsPerSign)}); ` +
      `cluster / single ${ratio(c.cluster.cpuUsPerSign / c.single.cpuUsPerSign)}`,
  );
  console.log(
    `throughput 2 instances / 1: ${ratio(c.cluster.perSecond / c.single.perSecond)} ` +
      `(callers and holders spread over both, so about half the signs cross the hop; on 2 shared cores ` +
      `the load generator, the holders, both servers and Redis share the same CPUs, so it cannot scale)`,
  );
}

/** Prints every part that ran and the target table; returns the target checks. */
export function printReport(results) {
  const env = results.environment;
  const o = env.options;
  console.log(
    `\n== SigSocket bench ${env.date} | node ${env.node} | ${env.cpus} x ${env.cpuModel} | fds ${env.fdLimit.soft}/${env.fdLimit.hard} | server flags: ${env.serverFlags.join(' ') || 'none'}`,
  );
  if (results.verifier) printVerifier(results.verifier);
  if (results.e2e) printE2e(results.e2e, o);
  if (results.inproc) printInproc(results.inproc, results.e2e, o);
  if (results.idle) printIdle(results.idle, o);
  if (results.cluster) printCluster(results.cluster, o);
  const targets = checks(results);
  console.log('\n-- targets (ratios within this run)');
  for (const t of targets) {
    const ms = t.unit === 'ms';
    const value = t.name.startsWith('errors')
      ? String(t.value)
      : ms
        ? `${fixed(t.value, 2)} ms`
        : ratio(t.value);
    const limit = t.name.startsWith('errors') ? '0' : ms ? `${t.limit} ms` : `${t.limit}x`;
    console.log(
      `${t.met ? 'MET   ' : 'MISSED'} ${t.name.padEnd(52)} ${pad(value, 8)}  (target ${/throughput|verify/.test(t.name) ? '>=' : '<='} ${limit})`,
    );
  }
  return targets;
}
