import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js';
import {
  escapeText,
  hexPreview,
  timeLeft,
  utf8Preview,
  withdrawnReason,
} from '../src/cli/request-preview.js';
import {
  generateSecretKey,
  SigSocketHolder,
  type HolderCancelReason,
  type HolderRequest,
  type HolderState,
} from '../src/client/index.js';

/** A request on screen, waiting for the person at the page. */
interface Shown {
  readonly request: HolderRequest;
  readonly item: HTMLLIElement;
  readonly countdown: ReturnType<typeof setInterval>;
  readonly decide: (verdict: true | string) => void;
}

const REJECT_REASON = 'rejected in the browser';
const COUNTDOWN_MS = 250;

const $ = <T extends HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`missing #${id}`);
  return element as T;
};

const serverUrl = $<HTMLInputElement>('server-url');
const secretInput = $<HTMLInputElement>('secret-key');
const publicKeyOut = $<HTMLElement>('public-key');
const stateOut = $<HTMLElement>('state');
const errorOut = $<HTMLElement>('error');
const connectButton = $<HTMLButtonElement>('connect');
const disconnectButton = $<HTMLButtonElement>('disconnect');
const requestList = $<HTMLUListElement>('requests');
const historyList = $<HTMLUListElement>('history');

// The secret key lives only in this variable and the password field; it is never stored or sent.
let secretKey: Uint8Array | undefined;
let holder: SigSocketHolder | undefined;
const shown = new Map<string, Shown>();

serverUrl.value = ownServer();
$<HTMLButtonElement>('generate-key').addEventListener('click', () => {
  secretInput.value = bytesToHex(generateSecretKey());
  useKey();
});
secretInput.addEventListener('change', useKey);
connectButton.addEventListener('click', connect);
disconnectButton.addEventListener('click', () => void holder?.close());

/** The `/ws` of the server that serves this page at `<prefix>/demo`. */
function ownServer(): string {
  const url = new URL(location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = `${url.pathname.replace(/\/demo\/?$/, '')}/ws`;
  url.search = '';
  url.hash = '';
  return url.href;
}

function useKey(): void {
  try {
    const candidate = hexToBytes(secretInput.value.trim());
    if (!secp256k1.utils.isValidSecretKey(candidate)) throw new Error('not a secp256k1 secret key');
    secretKey = candidate;
    publicKeyOut.textContent = bytesToHex(secp256k1.getPublicKey(candidate, true));
    showError('');
  } catch {
    secretKey = undefined;
    publicKeyOut.textContent = '—';
    showError('The secret key must be 64 hex digits of a valid secp256k1 key.');
  }
}

function connect(): void {
  if (secretKey === undefined) return showError('Generate or paste a secret key first.');
  void holder?.close();
  try {
    holder = new SigSocketHolder({
      url: serverUrl.value.trim(),
      secretKey,
      approve: ask,
      onCancel: withdraw,
      onStateChange: showState,
      onClose: (code, reason) =>
        showError(code === 1000 ? '' : `Closed with ${code}${reason ? `: ${reason}` : ''}`),
    }).start();
  } catch (error) {
    showError(error instanceof Error ? error.message : String(error));
  }
}

function showState(state: HolderState): void {
  stateOut.textContent = state;
  stateOut.dataset.state = state;
  const stopped = holder?.stopped ?? true;
  connectButton.disabled = !stopped;
  disconnectButton.disabled = stopped;
}

function showError(text: string): void {
  errorOut.textContent = text;
}

/** Lists a request with its caller, previews and countdown; resolves when a button is clicked. */
function ask(request: HolderRequest): Promise<true | string> {
  return new Promise((decide) => {
    const item = document.createElement('li');
    item.className = 'request';
    item.dataset.id = request.id;
    const countdown = document.createElement('span');
    countdown.className = 'countdown';
    const tick = (): void => void (countdown.textContent = timeLeft(request.deadline, Date.now()));
    tick();
    const entry: Shown = { request, item, countdown: setInterval(tick, COUNTDOWN_MS), decide };
    item.append(describe(request, countdown), buttons(entry));
    shown.set(request.id, entry);
    requestList.prepend(item);
  });
}

function describe(request: HolderRequest, countdown: HTMLElement): HTMLElement {
  const block = document.createElement('div');
  const meta = document.createElement('small');
  meta.append(`${request.message.length} bytes · `);
  if (request.caller === undefined) meta.append('no caller name');
  else {
    const caller = document.createElement('span');
    caller.className = 'caller';
    caller.textContent = escapeText(request.caller);
    meta.append('from ', caller);
  }
  meta.append(' · ', countdown);
  const text = document.createElement('code');
  text.className = 'preview';
  text.textContent = utf8Preview(request.message);
  const hex = document.createElement('code');
  hex.className = 'hex';
  hex.textContent = request.message.length === 0 ? '(empty)' : hexPreview(request.message);
  block.append(meta, text, hex);
  return block;
}

function buttons(entry: Shown): HTMLElement {
  const row = document.createElement('div');
  const button = (label: string, verdict: true | string, status: string, done: string): HTMLButtonElement => {
    const element = document.createElement('button');
    element.className = label.toLowerCase();
    element.textContent = label;
    element.addEventListener('click', () => {
      finish(entry, status, `${done}: ${summary(entry.request)}`);
      entry.decide(verdict);
    });
    return element;
  };
  row.append(
    button('Approve', true, 'approved', 'Approved'),
    button('Reject', REJECT_REASON, 'rejected', 'Rejected'),
  );
  return row;
}

/** The SDK's onCancel: the request leaves the list, and a note says why. */
function withdraw(request: HolderRequest, reason: HolderCancelReason): void {
  const entry = shown.get(request.id);
  if (entry === undefined) return;
  const status = reason === 'expired' || reason === 'timeout' ? 'expired' : 'cancelled';
  finish(entry, status, `Withdrawn, not signed: ${summary(request)} (${withdrawnReason(reason)})`);
}

function finish(entry: Shown, status: string, note: string): void {
  clearInterval(entry.countdown);
  shown.delete(entry.request.id);
  entry.item.remove();
  const line = document.createElement('li');
  line.className = 'note';
  line.dataset.status = status;
  line.dataset.id = entry.request.id;
  line.textContent = note;
  historyList.prepend(line);
}

function summary(request: HolderRequest): string {
  const caller = request.caller === undefined ? '' : ` from ${escapeText(request.caller)}`;
  return `${request.message.length} bytes${caller}, ${utf8Preview(request.message, 40)}`;
}
