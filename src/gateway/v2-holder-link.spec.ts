import { HolderOutbox } from '../signing/holder-outbox.js';
import type { LinkSession } from './session-link.js';
import { V2HolderLink } from './v2-holder-link.js';

function link(): { link: V2HolderLink; sent: string[] } {
  const sent: string[] = [];
  const session: LinkSession = {
    id: 'c1',
    keyId: '02ab',
    publicKey: new Uint8Array(33),
    bufferedBytes: 0,
    send: (frame) => void sent.push(frame),
    close: () => undefined,
  };
  return { link: new V2HolderLink(session, new HolderOutbox(1 << 20, 1 << 20)), sent };
}

const request = {
  id: 'r1',
  message: new Uint8Array([104, 105]),
  deadline: Date.now() + 1000,
  caller: 'billing',
};

describe('V2HolderLink', () => {
  it('sends a sign request with its id, deadline, time left and caller', () => {
    const { link: l, sent } = link();
    l.deliver(request);
    expect(JSON.parse(sent[0])).toEqual({
      type: 'sign_request',
      id: 'r1',
      message: 'aGk=',
      deadline: request.deadline,
      expiresInMs: expect.any(Number) as number,
      caller: 'billing',
    });
    expect(l.size).toBe(1);
  });

  it.each([
    ['expired', 'timeout'],
    ['withdrawn', 'withdrawn'],
    ['shutting_down', 'shutting_down'],
    ['answered', 'withdrawn'],
  ] as const)('cancels a delivered request that ends %s with reason %s, once', (reason, wire) => {
    const { link: l, sent } = link();
    l.deliver(request);
    l.cancel('r1', reason);
    l.cancel('r1', reason);
    expect(sent.slice(1).map((frame) => JSON.parse(frame) as unknown)).toEqual([
      { type: 'cancel', id: 'r1', reason: wire },
    ]);
    expect(l.size).toBe(0);
  });

  it('sends no cancel for a request the holder answered, nor for one it was never sent', () => {
    const { link: l, sent } = link();
    l.deliver(request);
    l.answered('r1');
    l.cancel('r1', 'expired');
    l.cancel('other', 'withdrawn');
    expect(sent).toHaveLength(1);
  });
});
