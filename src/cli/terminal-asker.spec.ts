import { TerminalAsker } from './terminal-asker.js';

const NOW = 1_700_000_000_000;
const request = (
  id: string,
  text = 'pay 3 coins',
): { id: string; message: Uint8Array; deadline: number } => ({
  id,
  message: new TextEncoder().encode(text),
  deadline: NOW + 30_000,
});

/** A readline stand-in: each question waits until the test answers it or its signal aborts. */
class FakePrompt {
  readonly asked: { query: string; answer(text: string): void }[] = [];

  question(query: string, options?: { signal?: AbortSignal }): Promise<string> {
    return new Promise((resolve, reject) => {
      this.asked.push({ query, answer: resolve });
      options?.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    });
  }
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TerminalAsker', () => {
  let prompt: FakePrompt;
  let printed: string[];
  let asker: TerminalAsker;

  beforeEach(() => {
    prompt = new FakePrompt();
    printed = [];
    asker = new TerminalAsker(
      prompt,
      (line) => printed.push(line),
      () => NOW,
    );
  });

  it('shows the request, then signs on y and declines on anything else', async () => {
    const first = asker.approve(request('r1'));
    await tick();
    expect(printed).toEqual([
      'sign request r1: 11 bytes, no caller name, 30 s left',
      '  text: "pay 3 coins"',
      '  hex:  70617920 3320636f 696e73',
    ]);
    prompt.asked[0].answer('y');
    await expect(first).resolves.toBe(true);
    const second = asker.approve(request('r2'));
    await tick();
    prompt.asked[1].answer('');
    await expect(second).resolves.toBe('declined at the terminal');
  });

  it('asks one question at a time', async () => {
    const first = asker.approve(request('r1'));
    const second = asker.approve(request('r2'));
    await tick();
    expect(prompt.asked).toHaveLength(1);
    prompt.asked[0].answer('yes');
    await first;
    await tick();
    expect(prompt.asked).toHaveLength(2);
    prompt.asked[1].answer('n');
    await expect(second).resolves.toBe('declined at the terminal');
  });

  it('withdraws a question on screen with a note, and never signs it', async () => {
    const answer = asker.approve(request('r1'));
    await tick();
    asker.cancel(request('r1'), 'timeout');
    await expect(answer).resolves.toBe('declined at the terminal');
    expect(printed.at(-1)).toBe(
      '\nsign request r1 withdrawn: the caller stopped waiting; nothing was signed',
    );
    asker.cancel(request('r1'), 'expired');
    expect(printed.filter((line) => line.includes('withdrawn'))).toHaveLength(1);
  });

  it('drops a queued request with its note when its turn comes, without asking', async () => {
    const first = asker.approve(request('r1'));
    const second = asker.approve(request('r2'));
    await tick();
    asker.cancel(request('r2'), 'withdrawn');
    expect(printed.some((line) => line.includes('withdrawn'))).toBe(false);
    prompt.asked[0].answer('y');
    await expect(first).resolves.toBe(true);
    await expect(second).resolves.toBe('declined at the terminal');
    expect(prompt.asked).toHaveLength(1);
    expect(printed.at(-1)).toBe('sign request r2 withdrawn: the caller withdrew it; nothing was signed');
  });

  it('ignores a cancel for a request it never asked about', () => {
    asker.cancel(request('unknown'), 'shutting_down');
    expect(printed).toEqual([]);
  });
});
