import type { Socket } from 'node:net';

/**
 * One `close` listener for every socket it is added to: `this` is the socket that closed, so a
 * socket costs a slot in its listener list rather than a closure, its context and the wrapper
 * `once` makes, which add up per idle holder.
 */
export function sharedCloseListener(onClose: (socket: Socket) => void): (this: Socket) => void {
  return function (this: Socket): void {
    onClose(this);
  };
}
