import fc from 'fast-check';
import { MAX_REJECT_REASON } from './holder-frame.js';
import { encodeV2Frame, proofMessage, type V2ServerFrame } from './v2-frames.js';
import { parseV2HolderFrame } from './v2-holder-frames.js';
import { parseV2ServerFrame } from './v2-server-frames.js';

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const sig = b64(new Uint8Array(64).fill(9));

describe('parseV2HolderFrame', () => {
  test('never throws, and an error always carries a reason', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json()), (text) => {
        const frame = parseV2HolderFrame(text);
        if ('kind' in frame) expect(frame.reason.length).toBeGreaterThan(0);
      }),
    );
  });

  test('reads every holder frame, ignoring unknown fields and JSON whitespace', () => {
    expect(parseV2HolderFrame(' {"type":"hello","publicKey":"02ab","extra":1}\r\n')).toEqual({
      type: 'hello',
      publicKey: '02ab',
    });
    expect(parseV2HolderFrame(JSON.stringify({ type: 'proof', url: 'ws://h/ws', signature: sig }))).toEqual({
      type: 'proof',
      url: 'ws://h/ws',
      signature: Buffer.from(sig, 'base64'),
      signatureBase64: sig,
    });
    expect(parseV2HolderFrame(JSON.stringify({ type: 'sign_response', id: 'r1', signature: sig }))).toEqual({
      type: 'sign_response',
      id: 'r1',
      signature: Buffer.from(sig, 'base64'),
      signatureBase64: sig,
    });
    expect(parseV2HolderFrame('{"type":"reject","id":"r1"}')).toEqual({
      type: 'reject',
      id: 'r1',
      reason: '',
    });
  });

  test('cleans and cuts a reject reason', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (reason) => {
        const frame = parseV2HolderFrame(JSON.stringify({ type: 'reject', id: 'x', reason }));
        if (!('type' in frame) || frame.type !== 'reject') throw new Error('expected a reject frame');
        expect([...frame.reason].length).toBeLessThanOrEqual(MAX_REJECT_REASON);
        expect(frame.reason).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      }),
    );
  });

  it.each([
    ['not JSON', 'hello', 'malformed JSON frame'],
    ['an array', '[]', 'a JSON frame must be an object'],
    ['no type', '{"publicKey":"02"}', 'a frame needs a type'],
    ['an unknown type', '{"type":"sign_request","id":"x"}', 'unknown frame type'],
    ['a hello without key', '{"type":"hello"}', 'hello.publicKey must be a string'],
    ['a proof without url', `{"type":"proof","signature":"${sig}"}`, 'proof.url'],
    [
      'a proof with URL-safe base64',
      '{"type":"proof","url":"ws://h/ws","signature":"__8="}',
      'proof.signature',
    ],
    [
      'a response with an empty id',
      `{"type":"sign_response","id":"","signature":"${sig}"}`,
      'sign_response.id',
    ],
    [
      'a response with a numeric id',
      `{"type":"sign_response","id":1,"signature":"${sig}"}`,
      'sign_response.id',
    ],
    [
      'a response with a huge id',
      `{"type":"sign_response","id":"${'a'.repeat(129)}","signature":"${sig}"}`,
      'sign_response.id',
    ],
    [
      'a response with spaces in base64',
      '{"type":"sign_response","id":"a","signature":"YQ= ="}',
      'sign_response.signature',
    ],
    ['a reject with a numeric reason', '{"type":"reject","id":"a","reason":5}', 'reject.reason'],
  ])('refuses %s', (_name, text, reason) => {
    expect(parseV2HolderFrame(text)).toEqual({
      kind: 'error',
      reason: expect.stringContaining(reason) as string,
    });
  });
});

describe('server frames', () => {
  const frames: V2ServerFrame[] = [
    { type: 'challenge', nonce: b64(new Uint8Array(32).fill(1)) },
    { type: 'ready', publicKey: '02'.padEnd(66, 'a') },
    { type: 'sign_request', id: 'r1', message: 'aGk=', deadline: 1_900_000_000_000, expiresInMs: 30_000 },
    { type: 'sign_request', id: 'r2', message: '', deadline: 1, expiresInMs: 0, caller: 'billing' },
    { type: 'cancel', id: 'r1', reason: 'timeout' },
    { type: 'error', id: 'r1', code: 'unknown_request', message: 'no such request' },
  ];

  it.each(frames)('round-trips %j', (frame) => {
    const text = encodeV2Frame(frame);
    expect(JSON.parse(text)).toEqual(frame);
    expect(parseV2ServerFrame(text)).toEqual(frame);
  });

  test('a sign request is written with its fields in a fixed order', () => {
    expect(encodeV2Frame(frames[3])).toBe(
      '{"type":"sign_request","id":"r2","message":"","deadline":1,"expiresInMs":0,"caller":"billing"}',
    );
  });

  test('a cancel with an unknown reason reads as withdrawn; bad frames are errors', () => {
    expect(parseV2ServerFrame('{"type":"cancel","id":"a","reason":"later"}')).toEqual({
      type: 'cancel',
      id: 'a',
      reason: 'withdrawn',
    });
    expect(parseV2ServerFrame('{"type":"sign_request","id":"a","message":"@@"}')).toMatchObject({
      kind: 'error',
    });
    expect(parseV2ServerFrame('{"type":"nope"}')).toMatchObject({ kind: 'error' });
    expect(parseV2ServerFrame('aGk=')).toMatchObject({ kind: 'error' });
  });
});

describe('proofMessage', () => {
  test('is the UTF-8 of the prefix, the URL and the nonce on three lines', () => {
    expect(Buffer.from(proofMessage('wss://h/ws', 'bm9uY2U=')).toString()).toBe(
      'sigsocket:proof:v2\nwss://h/ws\nbm9uY2U=',
    );
    expect(Buffer.from(proofMessage('ws://é/ws', 'n'))).toEqual(
      Buffer.from('sigsocket:proof:v2\nws://é/ws\nn', 'utf8'),
    );
  });
});
