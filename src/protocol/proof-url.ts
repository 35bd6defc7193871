/** A WebSocket endpoint reduced to what a proof is bound to: scheme, authority and path. */
export interface WsEndpoint {
  readonly scheme: 'ws:' | 'wss:';
  /** Lower-case host name, IPv6 addresses in brackets. */
  readonly host: string;
  /** The port, the scheme's default one when the URL names none. */
  readonly port: number;
  readonly path: string;
}

const DEFAULT_PORT = { 'ws:': 80, 'wss:': 443 } as const;
/** A Host header: a name or IPv4 address, or an IPv6 address in brackets, then maybe a port. */
const HOST_HEADER = /^(?:[A-Za-z0-9._~-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** Parses a ws:// or wss:// URL; null for anything else, or a URL with credentials. */
export function parseWsEndpoint(text: string): WsEndpoint | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') return null;
  if (url.username !== '' || url.password !== '' || url.hostname === '') return null;
  const scheme = url.protocol;
  const port = url.port === '' ? DEFAULT_PORT[scheme] : Number(url.port);
  return { scheme, host: url.hostname.toLowerCase(), port, path: url.pathname };
}

/** Equal in scheme, authority (default ports normalised) and path; query and fragment aside. */
export function sameEndpoint(a: WsEndpoint, b: WsEndpoint): boolean {
  return a.scheme === b.scheme && a.host === b.host && a.port === b.port && a.path === b.path;
}

/**
 * Whether a proof's URL names this server. With public URLs configured it must equal one of them;
 * without, its path must be `wsPath` and its authority the upgrade's `Host` header (a Host with
 * no port stands for the scheme's default port).
 */
export function proofUrlMatches(
  url: string,
  where: {
    readonly publicUrls: readonly WsEndpoint[];
    readonly hostHeader?: string;
    readonly wsPath: string;
  },
): boolean {
  const endpoint = parseWsEndpoint(url);
  if (endpoint === null) return false;
  if (where.publicUrls.length > 0) return where.publicUrls.some((known) => sameEndpoint(endpoint, known));
  const host = where.hostHeader;
  if (host === undefined || !HOST_HEADER.test(host)) return false;
  const upgrade = parseWsEndpoint(`${endpoint.scheme}//${host}${where.wsPath}`);
  return upgrade !== null && sameEndpoint(endpoint, upgrade);
}
