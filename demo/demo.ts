import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bytesToHex, hexToBytes } from '@noble/curves/utils.js';
import { SigSocketHolder, type HolderState } from '../src/client/index.js';

/** A request waiting for the person at the page. */
interface Decision {
  readonly item: HTMLLIElement;
  readonly decide: (verdict: true | string) => void;
}

const DECLINE_REASON = 'declined in the browser';
const PREVIEW_CHARS = 120;

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

// The secret key lives only in this variable and the password field; it is never stored or sent.
let secretKey: Uint8Array | undefined;
let holder: SigSocketHolder | undefined;

serverUrl.value = ownServer();

$<HTMLButtonElement>('generate-key').addEventListener('click', () => {
  secretInput.value = bytesToHex(secp256k1.utils.randomSecretKey());
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
      approve: (request) => ask(request.message),
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

/** Shows a request with Approve and Decline buttons; resolves when one is clicked. */
function ask(message: Uint8Array): Promise<true | string> {
  return new Promise((resolve) => {
    const item = document.createElement('li');
    item.className = 'request';
    item.dataset.status = 'pending';
    item.append(describe(message), buttons({ item, decide: resolve }));
    requestList.prepend(item);
  });
}

function describe(message: Uint8Array): HTMLElement {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(message);
  const printable = /^[\P{Cc}\n\t]*$/u.test(text) && !text.includes('\uFFFD');
  const body = printable ? text : bytesToHex(message);
  const preview = body.length > PREVIEW_CHARS ? `${body.slice(0, PREVIEW_CHARS)}…` : body;
  const block = document.createElement('div');
  const meta = document.createElement('small');
  meta.textContent = `${message.length} bytes${printable ? '' : ' (hex)'}`;
  const code = document.createElement('code');
  code.textContent = preview;
  block.append(meta, code);
  return block;
}

function buttons({ item, decide }: Decision): HTMLElement {
  const row = document.createElement('div');
  const choose = (verdict: true | string, status: string): void => {
    item.dataset.status = status;
    row.replaceChildren(status);
    decide(verdict);
  };
  const approve = document.createElement('button');
  approve.className = 'approve';
  approve.textContent = 'Approve';
  approve.addEventListener('click', () => choose(true, 'approved'));
  const decline = document.createElement('button');
  decline.className = 'decline';
  decline.textContent = 'Decline';
  decline.addEventListener('click', () => choose(DECLINE_REASON, 'declined'));
  row.append(approve, decline);
  return row;
}
