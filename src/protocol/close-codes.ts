/** WebSocket close codes the server uses on `/ws`. */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  UnsupportedData: 1003,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  TryAgainLater: 1013,
  Replaced: 4001,
} as const;

export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
