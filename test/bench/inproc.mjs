// In-process load: boots SigSocketModule (no HTTP controller) in a Nest app in this process,
// connects a holder fleet from a child process, and drives SigningService.sendToSign directly.
// Usage: node inproc.mjs <holders> <callers> <seconds> <warmup>. Reports {type:'result'} over IPC.
import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { RegistryService, SigningService, SigSocketModule, SigSocketWsAdapter } from '../../dist/index.js';
import { BENCH_DIR, HOST, closedLoop, nextMessage, spawnNode, stopChild, waitFor } from './lib.mjs';

const [holders, callers, seconds, warmup] = process.argv.slice(2).map(Number);

class BenchAppModule {}
Module({ imports: [SigSocketModule.forRoot({}, { http: false })] })(BenchAppModule);

async function main() {
  const app = await NestFactory.create(BenchAppModule, { logger: ['fatal', 'error', 'warn', 'log'] });
  app.useWebSocketAdapter(new SigSocketWsAdapter(app));
  await app.listen(0, HOST);
  const { port } = app.getHttpServer().address();
  const signing = app.get(SigningService);
  const registry = app.get(RegistryService);

  const fleet = spawnNode(`${BENCH_DIR}/holders.mjs`, [`ws://${HOST}:${port}/ws`, String(holders)], {
    fds: holders + 256,
  });
  const { keys, failed } = await nextMessage(fleet, 'ready', 120_000);
  await waitFor('holders registered', async () => (await registry.connectionCount()) === keys.length, 30_000);

  const result = await closedLoop({
    callers,
    seconds,
    warmup,
    callOnce: async () => {
      const publicKey = keys[Math.floor(Math.random() * keys.length)];
      const message = randomBytes(32);
      try {
        const answer = await signing.sendToSign(publicKey, message);
        return answer.publicKey === publicKey && Buffer.from(answer.message).equals(message)
          ? null
          : 'bad_response';
      } catch (error) {
        return error?.code ?? `exception:${error?.message}`;
      }
    },
  });
  await stopChild(fleet);
  await app.close();
  process.send({ type: 'result', ...result, holders: keys.length, failedHolders: failed }, () =>
    process.exit(0),
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
