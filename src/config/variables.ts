import { Transform } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { ApiKeyEntries } from './api-key-entries.validator.js';
import { WsUrlEntries } from './ws-url-entries.validator.js';
import { bool, custom, int, list, oneOf } from './variable.js';
import { SERVER_VARIABLES } from './server-variables.js';

export * from './server-variables.js';

/** The longest delay a Node timer keeps; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;

export const VERIFIERS = ['native', 'elliptic'] as const;
export type VerifierName = (typeof VERIFIERS)[number];

/** `true` is one proxy hop, `false` none, and a number that many. */
const toHops = ({ value }: { value: unknown }): unknown => {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (v === 'true') return 1;
  if (v === 'false') return 0;
  return /^\d+$/.test(v) ? Number(v) : value;
};

/** Variables that are also `SigSocketModule` options, under their camelCase names. */
export const MODULE_VARIABLES = {
  SIGN_TIMEOUT_MS: int(1, undefined, { default: 30_000, doc: "Default wait for a holder's answer, in ms." }),
  MAX_SIGN_TIMEOUT_MS: int(1, undefined, {
    default: 120_000,
    doc: 'Largest `timeoutMs` a caller may ask for, in ms. Must be at least `SIGN_TIMEOUT_MS`.',
  }),
  HEARTBEAT_INTERVAL_MS: int(10, undefined, {
    default: 30_000,
    doc: 'Ping interval, in ms; a holder that missed the previous pong is terminated.',
  }),
  HANDSHAKE_TIMEOUT_MS: int(1, undefined, {
    default: 10_000,
    doc: 'Time a new connection has to introduce (and prove) its key, in ms.',
  }),
  VERIFIER: oneOf(VERIFIERS, {
    default: 'native',
    doc: 'Signature verification backend: libsecp256k1 (`native`) or pure JS (`elliptic`, verification only).',
  }),
  LOW_S: bool({ default: false, doc: 'Reject high-S signatures instead of normalising them.' }),
  PROOF_OF_POSSESSION: bool({
    default: true,
    doc: 'Holders must sign a server challenge before they count as connected.',
  }),
  API_KEYS: list({
    default: [],
    shownDefault: 'empty',
    range:
      'comma-separated `secret` or `name=secret` entries; secrets of 16+ characters, each once; names unique, not `anonymous` or `in-process`',
    doc: 'Bearer keys accepted by `/sign`, `/status` and `/connected`. Empty leaves them open (loopback only, unless `ALLOW_ANONYMOUS=true`).',
    secret: true,
    items: [ApiKeyEntries()],
  }),
  ALLOWED_ORIGINS: list({
    default: [],
    shownDefault: 'empty',
    range: 'comma-separated origins',
    doc: 'Origins allowed to open `/ws` and call the REST routes from a browser (403 otherwise). Empty allows any; cross-site requests are refused either way.',
  }),
  PUBLIC_URLS: list({
    default: [],
    shownDefault: 'empty',
    range: 'comma-separated `ws://` or `wss://` URLs',
    doc: "The WebSocket URLs holders reach this server at, path included (behind a proxy: its public URL, prefix included). A v2 proof of possession must name one of them; empty accepts a URL whose authority is the upgrade's `Host` and whose path is `/ws`, which a relay that forges `Host` can pass. Set it on any public server.",
    items: [WsUrlEntries()],
  }),
  MAX_MESSAGE_BYTES: int(1, 16 * 1024 * 1024, {
    default: 65_536,
    doc: 'Largest message to sign, in decoded bytes.',
  }),
  MAX_PENDING_PER_KEY: int(1, undefined, {
    default: 256,
    doc: 'Most requests pending at once for one key from one caller (API key name); above it, 429 `too_many_pending`.',
  }),
  MAX_PENDING_PER_CALLER: int(1, undefined, {
    default: 1024,
    doc: 'Most requests pending at once from one caller, over all keys; above it, 429 `too_many_pending`.',
  }),
  MAX_CONNECTIONS_PER_IP: int(0, undefined, {
    default: 0,
    doc: 'Most `/ws` connections from one address; 0 is unlimited. Without `TRUST_PROXY`, the server counts its HTTP sockets too.',
  }),
  TRUST_PROXY: custom<boolean | number>({
    default: 0,
    shownDefault: '`false`',
    range: '`true`, `false` or a number of proxies, 0–32',
    doc: 'Proxies in front that append to `X-Forwarded-For`; the client address is the n-th entry from the right (`true` is 1). `false` takes the peer address.',
    decorators: [
      Transform(toHops),
      IsInt({ message: 'TRUST_PROXY must be true, false or a number of proxy hops' }),
      Min(0),
      Max(32),
    ],
  }),
  RECONNECT_GRACE_MS: int(0, undefined, {
    default: 5_000,
    doc: 'How long a pending request waits for its holder to come back, in ms.',
  }),
  IDEMPOTENCY_TTL_MS: int(1, undefined, {
    default: 60_000,
    doc: 'How long a finished idempotent result is kept, in ms.',
  }),
  IDEMPOTENCY_MAX_KEYS: int(1, undefined, { default: 10_000, doc: 'Most idempotency keys kept in memory.' }),
  IDEMPOTENCY_MAX_BYTES: int(1, undefined, {
    default: 16 * 1024 * 1024,
    shownDefault: '`16777216` (16 MiB)',
    doc: 'Most bytes the idempotency keys and their results take, estimated; the oldest results are evicted first.',
  }),
  MAX_HOLDER_BUFFER_BYTES: int(1, undefined, {
    default: 4 * 1024 * 1024,
    shownDefault: '`4194304` (4 MiB)',
    doc: 'A holder with more bytes than this queued for it gets no new requests: 503 `holder_busy`.',
  }),
  MAX_BUFFERED_BYTES: int(1, undefined, {
    default: 256 * 1024 * 1024,
    shownDefault: '`268435456` (256 MiB)',
    doc: 'Most bytes queued for all holders together, frames of timed-out requests included; beyond it, 503 `holder_busy`.',
  }),
  HOLDER_STALL_MS: int(1, MAX_TIMER_MS, {
    default: 10_000,
    doc: 'A holder that stays above `MAX_HOLDER_BUFFER_BYTES` this long is terminated (recorded as close code 1013), in ms.',
  }),
  REDIS_URL: custom<string>({
    default: '',
    shownDefault: 'empty',
    range: '`redis://` or `rediss://` URL, with a password if Redis needs one',
    doc: "Turns cluster mode on: instances sharing this Redis sign for each other's holders (see docs/cluster.md). Empty runs one instance in memory.",
    secret: true,
    decorators: [
      IsString(),
      Matches(/^(?:rediss?:\/\/\S+)?$/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' }),
    ],
  }),
  CLUSTER_PREFIX: custom<string>({
    default: 'sigsocket',
    range: '1–64 letters, digits, `_`, `-`, `.`',
    doc: 'Namespace of every Redis key and channel of the cluster, so that clusters can share one Redis.',
    decorators: [
      IsString(),
      Matches(/^[A-Za-z0-9_.-]{1,64}$/, {
        message: 'CLUSTER_PREFIX must be 1-64 letters, digits, _, - or .',
      }),
    ],
  }),
  CLUSTER_NODE_TTL_MS: int(300, MAX_TIMER_MS, {
    default: 3_000,
    doc: "An instance's lease in cluster mode, in ms, renewed every third of it: a dead instance's holders stop counting within it.",
  }),
  SHUTDOWN_DELAY_MS: int(0, MAX_TIMER_MS, {
    default: 0,
    doc: 'On shutdown, how long new requests and connections are still served after readiness fails, in ms: the time a load balancer takes to notice (about 5000 behind one that checks health).',
  }),
  SHUTDOWN_GRACE_MS: int(0, undefined, {
    default: 10_000,
    doc: 'On shutdown, how long pending requests may still finish, in ms.',
  }),
};

export const VARIABLES = { ...SERVER_VARIABLES, ...MODULE_VARIABLES };
export type VariableName = keyof typeof VARIABLES;
