import { DynamicModule, Injectable, LoggerService, Module } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import request from 'supertest';
import {
  ErrorCode,
  SigningService,
  SigSocketError,
  SigSocketModule,
  SigSocketWsAdapter,
} from '../src/index.js';
import { OPEN_ROUTES_WARNING } from '../src/http/sigsocket.controller.js';
import { TestHolder } from './support/test-holder.js';
import { eventually } from './support/wait.js';

/** A host application's own provider that depends on SigningService. */
@Injectable()
class Notary {
  constructor(readonly signing: SigningService) {}

  async notarize(publicKey: string, document: string): Promise<Uint8Array> {
    const { signature } = await this.signing.sendToSign(publicKey, Buffer.from(document), {
      timeoutMs: 3000,
    });
    return signature;
  }
}

@Module({
  imports: [SigSocketModule.forRootAsync({ useFactory: () => ({ signTimeoutMs: 2000 }), http: false })],
  providers: [Notary],
})
class HostModule {}

describe.each(['express', 'fastify'] as const)('a host app on %s importing SigSocketModule', (adapter) => {
  it('injects SigningService into its own provider and gets verified signatures', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [HostModule] }).compile();
    const app =
      adapter === 'fastify'
        ? moduleRef.createNestApplication(new FastifyAdapter())
        : moduleRef.createNestApplication();
    app.useWebSocketAdapter(new SigSocketWsAdapter(app));
    await app.listen(0, '127.0.0.1');
    const { port } = (app.getHttpServer() as { address(): AddressInfo }).address();
    const holder = await TestHolder.connect(`ws://127.0.0.1:${port}/ws`);
    try {
      const notary = app.get(Notary);
      await eventually(() => notary.signing.isConnected(holder.publicKey), 3000, 'the holder');
      expect(await notary.signing.connectionCount()).toBe(1);

      const signature = await notary.notarize(holder.publicKey, 'contract v1');
      const publicKey = Buffer.from(holder.publicKey, 'hex');
      expect(secp256k1.verify(signature, Buffer.from('contract v1'), publicKey)).toBe(true);

      const viaObservable = await firstValueFrom(notary.signing.sign$(holder.publicKey, Buffer.from('obs')));
      expect(viaObservable.publicKey).toBe(holder.publicKey);
      expect(secp256k1.verify(viaObservable.signature, Buffer.from('obs'), publicKey)).toBe(true);

      holder.answer = 'wrong-key';
      await expect(notary.notarize(holder.publicKey, 'x')).rejects.toMatchObject({
        name: 'SigSocketError',
        code: ErrorCode.InvalidSignature,
      });
      await expect(notary.signing.sendToSign('nope', Buffer.from('x'))).rejects.toBeInstanceOf(
        SigSocketError,
      );
      // http: false keeps the REST routes out of the host app.
      await request(app.getHttpServer() as Server)
        .post('/sign')
        .send({})
        .expect(404);
      expect(notary.signing.pendingCount()).toBe(0);
    } finally {
      await holder.close();
      await app.close();
    }
  });
});

/** Keeps the warnings a host app logs, and drops everything else. */
class WarningLog implements LoggerService {
  readonly warnings: string[] = [];
  log(): void {}
  error(): void {}
  warn(message: unknown): void {
    this.warnings.push(String(message));
  }
}

describe('the REST routes in a host app', () => {
  async function boot(
    sigsocket: DynamicModule,
  ): Promise<{ server: Server; warnings: string[]; close(): Promise<void> }> {
    const moduleRef = await Test.createTestingModule({ imports: [sigsocket] }).compile();
    const log = new WarningLog();
    const app = moduleRef.createNestApplication({ logger: log });
    app.useWebSocketAdapter(new SigSocketWsAdapter(app));
    await app.init();
    return { server: app.getHttpServer() as Server, warnings: log.warnings, close: () => app.close() };
  }

  it('are open when no API key is set, and the host is warned at boot', async () => {
    const host = await boot(SigSocketModule.forRoot());
    try {
      expect(host.warnings).toEqual([OPEN_ROUTES_WARNING]);
      await request(host.server).get('/status').expect(200);
    } finally {
      await host.close();
    }
  });

  it('need a key once apiKeys is set, with no warning', async () => {
    const host = await boot(SigSocketModule.forRoot({ apiKeys: ['a-host-key-of-16+chars'] }));
    try {
      expect(host.warnings).toEqual([]);
      await request(host.server).get('/status').expect(401);
    } finally {
      await host.close();
    }
  });

  it('are left out, with no warning, when the host imports the module with http: false', async () => {
    const host = await boot(SigSocketModule.forRoot({}, { http: false }));
    try {
      expect(host.warnings).toEqual([]);
      await request(host.server).get('/status').expect(404);
    } finally {
      await host.close();
    }
  });
});
