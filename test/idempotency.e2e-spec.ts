import request from 'supertest';
import { ADAPTERS, useTestApp } from './support/test-app.js';
import { TestHolder } from './support/test-holder.js';
import { eventually } from './support/wait.js';

describe.each(ADAPTERS)('idempotency store limits on %s', (adapter) => {
  const t = useTestApp(adapter, { IDEMPOTENCY_MAX_KEYS: '2' });

  it('never evicts a request in flight: a new key gets 429 too_many_pending while they fill it', async () => {
    const holder = t.track(await TestHolder.registered(t.ws, 'silent'));
    const sign = (key: string, message: string): request.Test =>
      request(t.http)
        .post('/sign')
        .set('Idempotency-Key', key)
        .send({ publicKey: holder.publicKey, message });
    const first = sign('one', 'b25l').then((res) => res);
    const second = sign('two', 'dHdv').then((res) => res);
    await eventually(() => holder.received.length === 2, 3000, 'two requests at the holder');

    const refused = await sign('three', 'dGhyZWU=').expect(429);
    expect(refused.body).toMatchObject({ error: 'too_many_pending' });
    // The oldest is still kept: a repeat joins it (or replays it) instead of asking again.
    const joined = sign('one', 'b25l').then((res) => res);
    for (const frame of [...holder.received]) {
      const message = Buffer.from(frame, 'base64');
      holder.send(`${frame}.${holder.signature(message).toString('base64')}`);
    }
    const [a, b, c] = await Promise.all([first, second, joined]);
    expect([a.status, b.status, c.status]).toEqual([200, 200, 200]);
    expect(c.body).toEqual(a.body);
    expect(holder.received).toHaveLength(2);
  });
});
