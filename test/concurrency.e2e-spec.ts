import { secp256k1 } from '@noble/curves/secp256k1.js';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { ADAPTERS, startApp, TestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually } from './support/wait.js';

interface Signed {
  publicKey: string;
  message: string;
  signature: string;
}

describe.each(ADAPTERS)('concurrency on %s', (adapter) => {
  let t: TestApp;
  let holders: TestHolder[] = [];

  beforeAll(async () => {
    t = await startApp(adapter);
  });
  afterEach(async () => {
    await Promise.all(holders.map((h) => h.close()));
    holders = [];
    expect(t.signing.pendingCount()).toBe(0);
  });
  afterAll(async () => {
    await t.close();
  });

  const connectAll = async (count: number): Promise<TestHolder[]> => {
    holders = await Promise.all(Array.from({ length: count }, () => TestHolder.connect(t.ws)));
    await eventually(async () => (await t.signing.connectionCount()) === count, 5000, `${count} holders`);
    return holders;
  };
  const signAndCheck = async (holder: TestHolder): Promise<void> => {
    const message = randomBytes(24).toString('base64');
    const res = await request(t.http)
      .post('/sign')
      .send({ publicKey: holder.publicKey, message })
      .expect(200);
    const body = res.body as Signed;
    expect(body.publicKey).toBe(holder.publicKey);
    expect(body.message).toBe(message);
    const valid = secp256k1.verify(
      Buffer.from(body.signature, 'base64'),
      Buffer.from(message, 'base64'),
      Buffer.from(holder.publicKey, 'hex'),
    );
    expect(valid).toBe(true);
  };

  it('200 concurrent requests to one key all come back verified from that key', async () => {
    const [holder] = await connectAll(1);
    await Promise.all(Array.from({ length: 200 }, () => signAndCheck(holder)));
    expect(holder?.received).toHaveLength(200);
  });

  it('500 requests routed across 100 holders each reach the right holder', async () => {
    const fleet = await connectAll(100);
    await Promise.all(Array.from({ length: 500 }, (_, i) => signAndCheck(fleet[i % 100])));
    for (const holder of fleet) expect(holder.received).toHaveLength(5);
  });
});
