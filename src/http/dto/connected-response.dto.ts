/** Body of `GET /connected/{publicKey}`. */
export class ConnectedResponseDto {
  connected!: boolean;
}
