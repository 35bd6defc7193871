// Preload for bench servers: `node --import ./test/bench/report-heap.mjs <server>`. It adds no
// route and reads no environment. On the IPC command {cmd:'memory'} it collects garbage and sends
// process.memoryUsage() back; on {cmd:'exit'} (or when the parent goes away) it exits normally,
// so a `--cpu-prof` run writes its profile. It listens to IPC rather than SIGUSR2 because the
// server's enableShutdownHooks() treats SIGUSR2 as a shutdown signal.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

function vmRss() {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

function reportMemory() {
  gc();
  gc();
  process.send({ type: 'memory', ...process.memoryUsage(), vmRss: vmRss() });
}

if (process.send !== undefined) {
  process.on('message', (msg) => {
    if (msg?.cmd === 'exit') process.exit(0);
    if (msg?.cmd === 'memory') reportMemory();
  });
  process.on('disconnect', () => process.exit(0));
  // The IPC channel must not keep a server alive on its own, nor count as a handle it made.
  process.channel?.unref();
}
