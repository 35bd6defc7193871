#!/usr/bin/env node
// A Node release other than the machine's, for .ci/run and the Dockerfile replay. The registry
// carries Node itself as node-<platform>-<arch> packages (bin/node inside). The newest release of
// the requested major is unpacked into .cache/node<major>/ (gitignored) once, and reused after.
//
//   node scripts/node-runtime.mjs 24     prints the path of that Node's binary
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function versionOf(binary) {
  return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim();
}

function download(major, target) {
  const name = `node-${process.platform}-${process.arch}@${major}`;
  const staging = mkdtempSync(`${target}.partial-`);
  try {
    const npmArgs = ['pack', name, '--pack-destination', staging, '--prefer-offline', '--silent'];
    const tarball = execFileSync('npm', npmArgs, { cwd: staging, encoding: 'utf8' }).trim().split('\n').pop();
    execFileSync('tar', ['-xzf', join(staging, tarball), '-C', staging]);
    // Renamed into place only once complete, so an interrupted download is never taken for a cache.
    renameSync(join(staging, 'package'), target);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** The path of a Node binary of `major`: this process's own when it is that major. */
export function nodeRuntime(major) {
  if (process.versions.node.split('.')[0] === String(major)) return process.execPath;
  const target = join(ROOT, '.cache', `node${major}`);
  const binary = join(target, 'bin', 'node');
  if (!existsSync(binary)) {
    mkdirSync(dirname(target), { recursive: true });
    for (const leftover of readdirSync(dirname(target)).filter((f) => f.startsWith(`node${major}.partial-`)))
      rmSync(join(dirname(target), leftover), { recursive: true, force: true });
    download(major, target);
  }
  const version = versionOf(binary);
  if (!version.startsWith(`v${major}.`)) throw new Error(`${binary} is ${version}, not Node ${major}`);
  return binary;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const major = process.argv[2];
  if (!/^\d+$/.test(major ?? '')) {
    process.stderr.write('usage: node scripts/node-runtime.mjs <major>\n');
    process.exit(2);
  }
  process.stdout.write(`${nodeRuntime(Number(major))}\n`);
}
