/** Body of a successful `POST /sign`. */
export class SignResponseDto {
  /** Compressed lower-case hex. */
  publicKey!: string;
  /** Standard base64 of the signed bytes. */
  message!: string;
  /** The signature, base64, exactly as the holder sent it. */
  signature!: string;
}
