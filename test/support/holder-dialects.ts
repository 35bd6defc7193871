import { TestHolder } from './test-holder.js';
import { V2TestHolder } from './v2-test-holder.js';
import type { WsTestClient, WsTestClientOptions } from './ws-test-client.js';

export type ProtocolHolder = TestHolder | V2TestHolder;

/** How a protocol version's holder does each step, so that one suite runs for both. */
export interface Dialect {
  readonly version: 'v1' | 'v2';
  create(url: string, options?: WsTestClientOptions): ProtocolHolder;
  /** Opens a holder and introduces `introduction` (default: its compressed key). */
  connect(url: string, introduction?: (holder: WsTestClient) => string): Promise<ProtocolHolder>;
  /** Sends the introduction of `key` (any text) on an open holder. */
  introduce(holder: ProtocolHolder, key: string): void;
  /** Answers request number `index`, in arrival order, with this signature. */
  respond(holder: ProtocolHolder, index: number, signatureBase64: string): void;
  /** Sends a well-formed answer that matches no request. */
  answerNobody(holder: ProtocolHolder): void;
  /** Frames a registered holder may not send, by name. */
  readonly badFrames: readonly (readonly [string, string])[];
}

const SIG = Buffer.alloc(64, 1).toString('base64');

export const V1: Dialect = {
  version: 'v1',
  create: (url, options) => new TestHolder(url, options),
  connect: (url, introduction) => TestHolder.connect(url, introduction),
  introduce: (holder, key) => holder.send(key),
  respond: (holder, index, signature) => holder.send(`${holder.received[index]}.${signature}`),
  answerNobody: (holder) => holder.send(`bm9ib2R5.${SIG}`),
  badFrames: [
    ['no dot', 'garbage'],
    ['two dots', 'YQ==.YQ==.YQ=='],
    ['bad base64', 'YQ==.@@@@'],
    ['a space in the signature', 'YQ==.YQ= ='],
  ],
};

export const V2: Dialect = {
  version: 'v2',
  create: (url, options) => new V2TestHolder(url, options),
  connect: (url, introduction) => V2TestHolder.connect(url, introduction),
  introduce: (holder, key) => holder.send(JSON.stringify({ type: 'hello', publicKey: key })),
  respond: (holder, index, signature) => {
    if (!(holder instanceof V2TestHolder)) throw new Error('a v2 holder was expected');
    holder.respond(index, signature);
  },
  answerNobody: (holder) =>
    holder.send(JSON.stringify({ type: 'sign_response', id: 'nobody', signature: SIG })),
  badFrames: [
    ['not JSON', 'garbage'],
    ['a v1 answer', `YQ==.${SIG}`],
    ['an unknown type', '{"type":"sign_request","id":"a"}'],
    ['a second hello', '{"type":"hello","publicKey":"02"}'],
    ['bad base64', '{"type":"sign_response","id":"a","signature":"YQ= ="}'],
  ],
};

export const DIALECTS: readonly Dialect[] = [V1, V2];
