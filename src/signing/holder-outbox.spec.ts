import { ErrorCode } from '../protocol/error-codes.js';
import type { HolderConnection } from '../registry/holder-connection.interface.js';
import { HolderOutbox } from './holder-outbox.js';

/** The admission's verdict: the error code it refused with, or 'admitted'. */
function verdict(admit: () => void): string {
  try {
    admit();
    return 'admitted';
  } catch (error) {
    return (error as { code?: string }).code ?? 'thrown';
  }
}

/** A holder whose socket keeps what it is sent until `flush`, unless it reads at once. */
function holder(reads: boolean): HolderConnection & { queued: string[]; flush(): void } {
  const queued: string[] = [];
  return {
    id: 'h',
    queued,
    get bufferedBytes() {
      return queued.join('').length;
    },
    send(frame) {
      if (!reads) queued.push(frame);
    },
    flush() {
      queued.splice(0);
    },
  };
}

describe('HolderOutbox', () => {
  it('counts nothing for holders that read', () => {
    const outbox = new HolderOutbox(10, 10);
    const reader = holder(true);
    for (let i = 0; i < 100; i++) {
      outbox.admit(reader, 8);
      outbox.send(reader, 'x'.repeat(8));
    }
    expect(outbox.bufferedBytes).toBe(0);
  });

  it('counts what stalled holders hold against the server-wide budget, and frees it as it leaves', () => {
    const outbox = new HolderOutbox(100, 20);
    const [a, b] = [holder(false), holder(false)];
    outbox.send(a, 'x'.repeat(8));
    outbox.send(b, 'x'.repeat(8));
    expect(outbox.bufferedBytes).toBe(16);
    expect(verdict(() => outbox.admit(a, 8))).toBe(ErrorCode.HolderBusy);
    a.flush();
    // The remembered sum still says 16 until it is re-read, which the admission does near the limit.
    expect(verdict(() => outbox.admit(a, 8))).toBe('admitted');
    expect(outbox.bufferedBytes).toBe(8);
  });

  it('refuses a holder over its own limit, whatever the budget', () => {
    const outbox = new HolderOutbox(4, 1000);
    const stalled = holder(false);
    outbox.send(stalled, 'x'.repeat(5));
    expect(verdict(() => outbox.admit(stalled, 1))).toBe(ErrorCode.HolderBusy);
  });

  it('forgets a holder whose connection is gone, with what it held', () => {
    const outbox = new HolderOutbox(100, 10);
    const gone = holder(false);
    outbox.send(gone, 'x'.repeat(10));
    outbox.forget(gone);
    outbox.forget(gone);
    expect(outbox.bufferedBytes).toBe(0);
    expect(verdict(() => outbox.admit(holder(false), 10))).toBe('admitted');
  });
});
