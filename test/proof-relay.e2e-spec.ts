import type { AddressInfo } from 'node:net';
import request from 'supertest';
import WebSocket, { WebSocketServer } from 'ws';
import { SigSocketHolder } from '../src/client/index.js';
import { generateSecretKey } from '../src/client/index.js';
import { Subprotocol } from '../src/protocol/v2-frames.js';
import { startApp, type TestApp } from './support/test-app.js';
import type { Closed } from './support/ws-test-client.js';
import { V2TestHolder } from './support/v2-test-holder.js';
import { within } from './support/wait.js';

/**
 * A malicious server: each holder that connects to it is relayed, frame for frame, to the real
 * server, as if the relay were the holder. With `forgeHost` it presents its own authority as the
 * Host header there, so that the URL the holder proves matches it.
 */
class RelayServer {
  private readonly server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: (offered) => (offered.has(Subprotocol.V2) ? Subprotocol.V2 : false),
  });
  /** How the real server closed each relayed connection. */
  readonly upstreamCloses: Closed[] = [];
  private readonly sockets = new Set<WebSocket>();

  private constructor(target: string, forgeHost: boolean) {
    this.server.on('connection', (holder) => {
      const headers = forgeHost ? { Host: this.authority } : undefined;
      const upstream = new WebSocket(target, [Subprotocol.V2], { headers });
      this.sockets.add(holder).add(upstream);
      const queued: string[] = [];
      holder.on('message', (data: Buffer) => {
        if (upstream.readyState === WebSocket.OPEN) upstream.send(data.toString());
        else queued.push(data.toString());
      });
      upstream.on('open', () => queued.splice(0).forEach((frame) => upstream.send(frame)));
      upstream.on('message', (data: Buffer) => holder.send(data.toString()));
      upstream.on('close', (code, reason) => {
        this.upstreamCloses.push({ code, reason: reason.toString() });
        holder.close(1000);
      });
      upstream.on('error', () => undefined);
    });
  }

  /** Resolves once the relay listens. */
  static async start(target: string, forgeHost = false): Promise<RelayServer> {
    const relay = new RelayServer(target, forgeHost);
    await within(
      new Promise((resolve) => relay.server.once('listening', resolve)),
      3000,
      'the relay to listen',
    );
    return relay;
  }

  get url(): string {
    return `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/ws`;
  }

  get authority(): string {
    return new URL(this.url).host;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** An SDK holder that gives up after its first connection, and what became of it. */
function sdkHolder(url: string): { holder: SigSocketHolder; closes: Closed[] } {
  const closes: Closed[] = [];
  const holder = new SigSocketHolder({
    url,
    secretKey: generateSecretKey(),
    WebSocket,
    reconnect: false,
    onClose: (code, reason) => closes.push({ code, reason }),
  });
  return { holder: holder.start(), closes };
}

describe('a v2 proof relayed by another server', () => {
  let t: TestApp;
  let relay: RelayServer;

  beforeAll(async () => {
    t = await startApp('express');
  });
  afterEach(() => relay.close());
  afterAll(() => t.close());

  it('is refused with 1008 "proof of possession failed"; the same holder straight to the server is served', async () => {
    relay = await RelayServer.start(t.ws);
    const relayed = sdkHolder(relay.url);
    await expect(within(relayed.holder.ready(), 5000, 'the relayed holder to stop')).rejects.toThrow(
      'stopped',
    );
    expect(relay.upstreamCloses).toEqual([{ code: 1008, reason: 'proof of possession failed' }]);
    expect((await request(t.http).get(`/connected/${relayed.holder.publicKey}`)).body).toEqual({
      connected: false,
    });

    const direct = sdkHolder(t.ws);
    try {
      await within(direct.holder.ready(), 5000, 'the direct holder to be ready');
      const message = Buffer.from('control').toString('base64');
      await request(t.http).post('/sign').send({ publicKey: direct.holder.publicKey, message }).expect(200);
    } finally {
      await direct.holder.close();
    }
  });

  it('without PUBLIC_URLS, passes when the relay forges Host: what PUBLIC_URLS is for', async () => {
    relay = await RelayServer.start(t.ws, true);
    const relayed = sdkHolder(relay.url);
    try {
      await within(relayed.holder.ready(), 5000, 'the relayed holder to be ready');
      expect((await request(t.http).get(`/connected/${relayed.holder.publicKey}`)).body).toEqual({
        connected: true,
      });
    } finally {
      await relayed.holder.close();
    }
  });
});

describe('a v2 proof with PUBLIC_URLS set', () => {
  const PUBLIC = 'ws://relay.example/ws';
  let t: TestApp;
  let relay: RelayServer;

  beforeAll(async () => {
    t = await startApp('fastify', { PUBLIC_URLS: `wss://other.example/ws,${PUBLIC}` });
  });
  afterEach(() => relay.close());
  afterAll(() => t.close());

  it('refuses a relay that forges Host, and accepts a proof naming the public URL whatever the Host', async () => {
    relay = await RelayServer.start(t.ws, true);
    const relayed = sdkHolder(relay.url);
    await expect(within(relayed.holder.ready(), 5000, 'the relayed holder to stop')).rejects.toThrow(
      'stopped',
    );
    expect(relay.upstreamCloses).toEqual([{ code: 1008, reason: 'proof of possession failed' }]);

    const behindProxy = new V2TestHolder(t.ws, { proofUrl: PUBLIC });
    try {
      await behindProxy.open();
      behindProxy.hello(behindProxy.publicKey);
      expect(await behindProxy.ready()).toEqual({ type: 'ready', publicKey: behindProxy.publicKey });
    } finally {
      await behindProxy.close();
    }
  });
});
