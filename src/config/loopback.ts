import { isIPv4, isIPv6 } from 'node:net';

/** Whether a listen address is reachable only from this machine. */
export function isLoopbackHost(host: string): boolean {
  const value = host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  if (value === 'localhost') return true;
  if (isIPv4(value)) return value.startsWith('127.');
  if (!isIPv6(value)) return false;
  if (value.startsWith('::ffff:') && isIPv4(value.slice(7))) return value.slice(7).startsWith('127.');
  return value === '::1' || value === '0:0:0:0:0:0:0:1';
}
