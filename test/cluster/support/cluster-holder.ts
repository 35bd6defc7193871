import { secp256k1 } from '@noble/curves/secp256k1.js';
import WebSocket from 'ws';
import { SigSocketHolder } from '../../../src/client/index.js';
import type { HolderProtocol, SigSocketHolderOptions } from '../../../src/client/index.js';
import { within } from '../../support/wait.js';

/** An SDK holder of a cluster test, with what it was asked and how its sockets closed. */
export interface ClusterHolder {
  readonly holder: SigSocketHolder;
  readonly publicKey: string;
  readonly secretKey: Uint8Array;
  /** Ids of the requests it was asked, in order. */
  readonly requests: string[];
  /** Close codes of its sockets, in order. */
  readonly closes: number[];
}

export interface ClusterHolderOptions extends Partial<SigSocketHolderOptions> {
  readonly protocol?: HolderProtocol;
  /** Wait for `ready()`; default true. */
  readonly waitReady?: boolean;
}

/** Starts an SDK holder (v2 unless told otherwise) on `url`, with a fast reconnect. */
export async function startHolder(url: string, options: ClusterHolderOptions = {}): Promise<ClusterHolder> {
  const secretKey = options.secretKey ?? secp256k1.utils.randomSecretKey();
  const requests: string[] = [];
  const closes: number[] = [];
  const holder = new SigSocketHolder({
    WebSocket,
    reconnect: { initialDelayMs: 50, maxDelayMs: 300 },
    ...options,
    url,
    secretKey,
    onRequest: (request) => requests.push(request.id),
    onClose: (code) => closes.push(code),
  });
  holder.start();
  if (options.waitReady !== false) await within(holder.ready(), 10_000, 'the holder to be ready');
  return { holder, publicKey: holder.publicKey, secretKey, requests, closes };
}

/** Closes every holder, each within a few seconds. */
export async function closeHolders(holders: readonly ClusterHolder[]): Promise<void> {
  await Promise.all(holders.map(({ holder }) => within(holder.close(), 5_000, 'a holder to close')));
}
