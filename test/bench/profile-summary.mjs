// Summarises a .cpuprofile: self time per function and per package, as shares of busy time.
// Usage: node test/bench/profile-summary.mjs <file.cpuprofile> [top]
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const IDLE = new Set(['(idle)']);

function packageOf(url) {
  if (!url) return '(native/vm)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (url.startsWith('node:')) return 'node:internal';
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return `sigsocket ${url.slice(dist + 1)}`;
  return basename(url);
}

/** Returns { busyMs, functions: [{name, where, package, selfMs, share}], packages: [...] }. */
export function summarizeProfile(path, top = 20) {
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const functions = new Map();
  const packages = new Map();
  let busy = 0;
  for (const [id, micros] of self) {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const name = functionName || '(anonymous)';
    if (IDLE.has(name)) continue;
    busy += micros;
    const where = url ? `${basename(url)}:${lineNumber + 1}` : '';
    const key = `${name} ${where}`;
    const entry = functions.get(key) ?? { name, where, package: packageOf(url), selfMs: 0 };
    entry.selfMs += micros / 1000;
    functions.set(key, entry);
    const pkg = name.startsWith('(') ? name : packageOf(url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + micros / 1000);
  }
  const share = (ms) => ms / (busy / 1000);
  const inclusive = inclusiveTimes(profile, byId, self);
  return {
    inclusive: [...inclusive.values()]
      .filter((f) => !f.name.startsWith('('))
      .sort((a, b) => b.totalMs - a.totalMs)
      .slice(0, top * 2)
      .map((f) => ({ ...f, share: share(f.totalMs) })),
    busyMs: busy / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((f) => ({ ...f, share: share(f.selfMs) })),
    packages: [...packages.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, selfMs: ms, share: share(ms) })),
  };
}

/** Total (self + callees) time per function, counting recursive frames once. */
function inclusiveTimes(profile, byId, self) {
  const totals = new Map();
  const root = profile.nodes[0];
  const stack = [{ node: root, entered: false }];
  const active = new Map();
  const subtotal = new Map();
  // Iterative post-order walk: a node's total is its self time plus its children's totals.
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const { functionName, url, lineNumber } = top.node.callFrame;
    const key = `${functionName || '(anonymous)'} ${url ? `${basename(url)}:${lineNumber + 1}` : ''}`;
    if (!top.entered) {
      top.entered = true;
      active.set(key, (active.get(key) ?? 0) + 1);
      for (const childId of top.node.children ?? []) stack.push({ node: byId.get(childId), entered: false });
      continue;
    }
    stack.pop();
    const ms = ((self.get(top.node.id) ?? 0) + (subtotal.get(top.node.id) ?? 0)) / 1000;
    const parent = stack.findLast((frame) => frame.entered);
    if (parent) subtotal.set(parent.node.id, (subtotal.get(parent.node.id) ?? 0) + ms * 1000);
    active.set(key, active.get(key) - 1);
    if (active.get(key) > 0) continue;
    const entry = totals.get(key) ?? {
      name: functionName || '(anonymous)',
      where: key.slice(key.indexOf(' ') + 1),
      totalMs: 0,
    };
    entry.totalMs += ms;
    totals.set(key, entry);
  }
  return totals;
}

export function printProfile(title, summary) {
  const pct = (x) => `${(x * 100).toFixed(1).padStart(5)}%`;
  console.log(`\n${title}: busy ${(summary.busyMs / 1000).toFixed(1)} s of CPU`);
  console.log('  self%  function (file:line) [package]');
  for (const f of summary.functions) console.log(`  ${pct(f.share)}  ${f.name} (${f.where}) [${f.package}]`);
  console.log('  total% function (self + callees)');
  for (const f of summary.inclusive) console.log(`  ${pct(f.share)}  ${f.name} (${f.where})`);
  console.log('  self%  by package');
  for (const p of summary.packages.slice(0, 12)) console.log(`  ${pct(p.share)}  ${p.name}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top] = process.argv.slice(2);
  printProfile(basename(file), summarizeProfile(file, Number(top) || 25));
}
