import { jest } from '@jest/globals';
import { ANSWER, FakeLink, KEY, OTHER, setUpRouter } from '../../test/support/router-setup.js';
import { ErrorCode } from '../protocol/error-codes.js';

describe('HolderRouter', () => {
  afterEach(() => jest.useRealTimers());

  it('gives each request its own unguessable id and an absolute deadline', () => {
    const { router, connect, route } = setUpRouter();
    const link = connect(new FakeLink('c1'));
    const now = Date.now();
    const subscriptions = [
      router.request$(route('a', 500)).subscribe(),
      router.request$(route('a')).subscribe(),
    ];
    const [first, second] = link.delivered;
    expect(first.id).not.toBe(second.id);
    expect(first.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.deadline).toBeGreaterThanOrEqual(now + 500);
    expect(first.deadline).toBeLessThan(now + 1000);
    subscriptions.forEach((s) => s.unsubscribe());
  });

  it('settles the answer by id, whichever order answers come in', async () => {
    const { router, connect, route, outcome } = setUpRouter();
    const link = connect(new FakeLink('c1'));
    const first = outcome(router.request$(route('same')));
    const second = outcome(router.request$(route('same')));
    router.answer(link, link.idOf(1), ANSWER);
    await expect(second).resolves.toBe('ok');
    expect(router.pendingCount).toBe(1);
    router.answer(link, link.idOf(0), ANSWER);
    await expect(first).resolves.toBe('ok');
    expect(router.pendingCount).toBe(0);
  });

  it('ignores unknown ids and ids of another key, and leaves those requests pending', async () => {
    const { router, connect, route, outcome } = setUpRouter();
    const link = connect(new FakeLink('c1'));
    const stranger = connect(new FakeLink('c2', 'v2', OTHER));
    const result = outcome(router.request$(route('x')));
    router.answer(link, 'no-such-id', ANSWER);
    router.answer(stranger, link.idOf(), ANSWER);
    router.decline(stranger, link.idOf(), 'no');
    expect(router.pendingCount).toBe(1);
    router.decline(link, link.idOf(), 'no thanks');
    await expect(result).resolves.toBe(ErrorCode.Rejected);
  });

  it('times out with the timeout operator and cancels the request on its link as expired', async () => {
    // Timers run ahead of Date.now() here, as a timer that fires a ms early by the wall clock does.
    jest.useFakeTimers({ doNotFake: ['Date'] });
    const { router, connect, route, outcome } = setUpRouter();
    const link = connect(new FakeLink('c1'));
    const result = outcome(router.request$(route('slow', 100)));
    jest.advanceTimersByTime(99);
    expect(router.pendingCount).toBe(1);
    jest.advanceTimersByTime(1);
    await expect(result).resolves.toBe(ErrorCode.Timeout);
    expect(router.pendingCount).toBe(0);
    expect(link.cancelled).toEqual([[link.idOf(), 'expired']]);
  });

  it('cancels each request with its own reason when deadlines and a withdrawal come together', async () => {
    jest.useFakeTimers({ doNotFake: ['Date'] });
    const { router, connect, route, outcome } = setUpRouter();
    const link = connect(new FakeLink('c1'));
    const shared = router.request$(route('same', 100));
    const first = outcome(shared);
    const withdrawn = router.request$(route('b', 100)).subscribe();
    const second = outcome(shared);
    const answered = outcome(router.request$(route('c', 100)));
    jest.advanceTimersByTime(99);
    router.answer(link, link.idOf(3), ANSWER);
    withdrawn.unsubscribe();
    jest.advanceTimersByTime(1);
    await expect(first).resolves.toBe(ErrorCode.Timeout);
    await expect(second).resolves.toBe(ErrorCode.Timeout);
    await expect(answered).resolves.toBe('ok');
    expect([...link.cancelled].sort()).toEqual(
      [
        [link.idOf(0), 'expired'],
        [link.idOf(1), 'withdrawn'],
        [link.idOf(2), 'expired'],
      ].sort(),
    );
  });

  it('cancels a withdrawn request on its link, and a late answer settles nothing', async () => {
    const { router, connect, route } = setUpRouter();
    const link = connect(new FakeLink('c1'));
    const next = jest.fn();
    router.request$(route('x')).subscribe({ next }).unsubscribe();
    expect(router.pendingCount).toBe(0);
    await Promise.resolve();
    expect(link.cancelled).toEqual([[link.idOf(), 'withdrawn']]);
    router.answer(link, link.idOf(), ANSWER);
    expect(next).not.toHaveBeenCalled();
    expect(router.pendingCount).toBe(0);
  });

  it('fails with not_connected, too_many_pending or holder_busy and keeps nothing pending', async () => {
    const { router, connect, route, outcome } = setUpRouter({ maxPendingPerKey: 1 });
    await expect(outcome(router.request$(route('x')))).resolves.toBe(ErrorCode.NotConnected);
    const link = connect(new FakeLink('c1'));
    const held = router.request$(route('a')).subscribe();
    await expect(outcome(router.request$(route('b')))).resolves.toBe(ErrorCode.TooManyPending);
    held.unsubscribe();
    link.busy = true;
    await expect(outcome(router.request$(route('c')))).resolves.toBe(ErrorCode.HolderBusy);
    expect(router.pendingCount).toBe(0);
  });

  it('delivers pending requests again to a returning holder, and cancels them on the old link once answered', async () => {
    const { router, connect, route, outcome } = setUpRouter({ reconnectGraceMs: 1000 });
    const old = connect(new FakeLink('c1'));
    const result = outcome(router.request$(route('x')));
    router.detach(KEY);
    const fresh = connect(new FakeLink('c2'));
    void router.attach(fresh);
    expect(fresh.delivered.map((r) => r.id)).toEqual([old.idOf()]);
    router.answer(old, old.idOf(), ANSWER);
    await expect(result).resolves.toBe('ok');
    expect(fresh.cancelled).toEqual([[old.idOf(), 'answered']]);
  });

  it('fails a key’s requests with client_disconnected when its holder does not return in time', async () => {
    jest.useFakeTimers();
    const { router, connect, route, outcome } = setUpRouter({ reconnectGraceMs: 50 });
    connect(new FakeLink('c1'));
    const result = outcome(router.request$(route('x')));
    router.detach(KEY);
    jest.advanceTimersByTime(50);
    await expect(result).resolves.toBe(ErrorCode.ClientDisconnected);
    expect(router.pendingCount).toBe(0);
  });

  it('drains: stops accepting, fails what is left with shutting_down and cancels it', async () => {
    const { router, connect, route, outcome } = setUpRouter();
    const link = connect(new FakeLink('c1'));
    const result = outcome(router.request$(route('x')));
    await router.drain(0);
    expect(router.isAccepting).toBe(false);
    await expect(result).resolves.toBe(ErrorCode.ShuttingDown);
    expect(link.cancelled).toEqual([[link.idOf(), 'shutting_down']]);
  });

  it('keeps nothing after a storm of answers, declines, timeouts and withdrawals', async () => {
    jest.useFakeTimers();
    const { router, connect, route, outcome } = setUpRouter({
      maxPendingPerKey: 1000,
      maxPendingPerCaller: 1000,
    });
    const link = connect(new FakeLink('c1'));
    const results: Promise<string>[] = [];
    for (let i = 0; i < 400; i++) {
      const request$ = router.request$(route(`m${i % 7}`, 50));
      if (i % 4 === 3) request$.subscribe().unsubscribe();
      else results.push(outcome(request$));
    }
    link.delivered.forEach((request, i) => {
      if (i % 4 === 0) router.answer(link, request.id, ANSWER);
      if (i % 4 === 1) router.decline(link, request.id, 'no');
    });
    jest.advanceTimersByTime(50);
    const counts = (await Promise.all(results)).reduce<Record<string, number>>(
      (tally, code) => ({ ...tally, [code]: (tally[code] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ ok: 100, [ErrorCode.Rejected]: 100, [ErrorCode.Timeout]: 100 });
    expect(router.pendingCount).toBe(0);
  });
});
