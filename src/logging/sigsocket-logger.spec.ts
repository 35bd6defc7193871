import { jest } from '@jest/globals';
import { runWithRequestId } from './request-context.js';
import { SigSocketLogger } from './sigsocket-logger.js';

function capture(run: () => void): string[] {
  const chunks: string[] = [];
  const write = ((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const spies = [jest.spyOn(process.stdout, 'write'), jest.spyOn(process.stderr, 'write')].map((spy) =>
    spy.mockImplementation(write),
  );
  try {
    run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks.join('').split('\n').filter(Boolean);
}

const ALL_LEVELS = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'] as const;

describe('SigSocketLogger', () => {
  it('writes one JSON object per line with level, time, context and msg', () => {
    const logger = new SigSocketLogger('json', [...ALL_LEVELS]);
    const [line] = capture(() => logger.log('hello', 'Ctx'));
    const { time, ...rest } = JSON.parse(line ?? '') as Record<string, unknown>;
    expect(rest).toEqual({ level: 'info', context: 'Ctx', msg: 'hello', pid: process.pid });
    expect(time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('adds the request id inside a request, and only there', () => {
    const logger = new SigSocketLogger('json', [...ALL_LEVELS]);
    const lines = capture(() => {
      runWithRequestId('req-7', () => logger.warn('inside', 'Ctx'));
      logger.warn('outside', 'Ctx');
    }).map((line) => JSON.parse(line) as { msg: string; requestId?: string; level: string });
    expect(lines.map(({ msg, requestId, level }) => ({ msg, requestId, level }))).toEqual([
      { msg: 'inside', requestId: 'req-7', level: 'warn' },
      { msg: 'outside', requestId: undefined, level: 'warn' },
    ]);
  });

  it('adds the caller inside a request, alone or with the request id', () => {
    const logger = new SigSocketLogger('json', [...ALL_LEVELS]);
    const lines = capture(() => {
      runWithRequestId('req-9', () => logger.log('both', 'Ctx'), 'alice');
      runWithRequestId(undefined, () => logger.log('caller only', 'Ctx'), 'in-process');
      runWithRequestId('req-10', () => runWithRequestId(undefined, () => logger.log('nested', 'Ctx'), 'bob'));
      logger.log('outside', 'Ctx');
    }).map((line) => JSON.parse(line) as { msg: string; requestId?: string; caller?: string });
    expect(lines.map(({ msg, requestId, caller }) => ({ msg, requestId, caller }))).toEqual([
      { msg: 'both', requestId: 'req-9', caller: 'alice' },
      { msg: 'caller only', requestId: undefined, caller: 'in-process' },
      { msg: 'nested', requestId: 'req-10', caller: 'bob' },
      { msg: 'outside', requestId: undefined, caller: undefined },
    ]);
  });

  it('keeps an error stack in the same JSON line', () => {
    const logger = new SigSocketLogger('json', [...ALL_LEVELS]);
    const lines = capture(() => logger.error('failed', 'Error: boom\n    at x (y.js:1:2)', 'Ctx'));
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(line).toMatchObject({ level: 'error', msg: 'failed' });
    expect(String(line.stack)).toContain('Error: boom');
  });

  it('honours the configured levels', () => {
    const logger = new SigSocketLogger('json', ['error', 'warn', 'log']);
    expect(capture(() => logger.debug('hidden', 'Ctx'))).toEqual([]);
  });

  it('shows the request id after the context in text format', () => {
    const logger = new SigSocketLogger('text', [...ALL_LEVELS], { colors: false });
    const [line] = capture(() => runWithRequestId('req-8', () => logger.log('hello', 'Ctx')));
    expect(line).toMatch(/\[Ctx\] \(req-8\) hello$/);
    const [named] = capture(() => runWithRequestId('req-8', () => logger.log('hello', 'Ctx'), 'alice'));
    expect(named).toMatch(/\[Ctx\] \(req-8 caller=alice\) hello$/);
  });
});
