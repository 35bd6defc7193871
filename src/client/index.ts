export { DEFAULT_DECLINE_REASON, FAILED_DECLINE_REASON, SigSocketHolder } from './sigsocket-holder.js';
export { generateSecretKey } from './generate-secret-key.js';
export type {
  ApproveCallback,
  HolderCancelReason,
  HolderProtocol,
  HolderRequest,
  HolderSigner,
  HolderState,
  ReconnectOptions,
  SigSocketHolderOptions,
} from './holder-options.interface.js';
export type {
  HolderSocket,
  HolderSocketConstructor,
  HolderSocketEventMap,
} from './holder-socket.interface.js';
