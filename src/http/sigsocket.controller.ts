import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Logger,
  OnApplicationBootstrap,
  Param,
  Post,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import { map, Observable } from 'rxjs';
import { SigSocketExceptionFilter } from '../common/sigsocket-exception.filter.js';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { API_EXAMPLES, API_KEY_SECURITY } from '../openapi/openapi.constants.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import { isSafeRequestId, SAFE_REQUEST_ID } from '../logging/request-id.js';
import { encodeBase64, hasCanonicalPadding } from '../protocol/base64.js';
import { isHighS } from '../protocol/signature-encoding.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { RegistryService } from '../registry/registry.service.js';
import type { SignResult } from '../signing/sign-result.interface.js';
import { SigningService } from '../signing/signing.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { Caller, type RequestCaller } from './caller.decorator.js';
import { ConnectedResponseDto } from './dto/connected-response.dto.js';
import { SignRequestDto } from './dto/sign-request.dto.js';
import { SignResponseDto } from './dto/sign-response.dto.js';
import { StatusResponseDto } from './dto/status-response.dto.js';
import { DtoValidationPipe } from './dto-validation.pipe.js';
import { RelayRouteGuard, SignRouteGuard } from './route-guards.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
// The names `@Headers` reads (case-insensitively) and `@ApiHeader` documents must be equal, or the
// document lists each header twice: once as documented, once as a required parameter.
const HEADER = { idempotencyKey: 'Idempotency-Key', requestId: 'X-Request-Id' } as const;

/** Logged at boot when the routes below are mounted and no API key protects them. */
export const OPEN_ROUTES_WARNING =
  'POST /sign, GET /status and GET /connected/:publicKey are mounted without API keys: anyone who can reach ' +
  'this server can ask connected holders to sign. Set apiKeys (API_KEYS), or import SigSocketModule with ' +
  '{ http: false } to leave the routes out.';

/** The REST face: parse, validate, delegate. Checks run in order: API key, origin, body. */
@ApiTags('relay')
@ApiBearerAuth(API_KEY_SECURITY)
@Controller()
@UseFilters(SigSocketExceptionFilter)
export class SigSocketController implements OnApplicationBootstrap {
  private readonly logger = new Logger(SigSocketController.name);
  private readonly startedAt = Date.now();

  constructor(
    private readonly signing: SigningService,
    private readonly registry: RegistryService,
    private readonly verifier: SignatureVerifierService,
    @Inject(SIGSOCKET_OPTIONS) private readonly options: ResolvedSigSocketOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.apiKeys.length === 0) this.logger.warn(OPEN_ROUTES_WARNING);
  }

  /**
   * Returns the relay's Observable: when the caller disconnects first, Nest unsubscribes from it,
   * which withdraws the pending request.
   */
  @Post('sign')
  @HttpCode(200)
  @UseGuards(SignRouteGuard)
  @ApiOperation({ summary: "Ask the key's holder to sign the message; answers once the signature verifies" })
  @ApiOkResponse({ type: SignResponseDto, description: 'The signature, verified against the key' })
  @ApiHeader({
    name: HEADER.idempotencyKey,
    required: false,
    description: 'A repeat with the same key, publicKey and message joins the request or gets its result',
    // No example: Swagger UI would send it with every try, and a changed body would then conflict.
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
  })
  @ApiHeader({
    name: HEADER.requestId,
    required: false,
    description: 'Kept for the log lines about this request when safe; otherwise a new id is made',
    schema: { type: 'string', pattern: SAFE_REQUEST_ID.source },
    example: API_EXAMPLES.requestId,
  })
  @ApiErrorResponses(
    ErrorCode.InvalidRequest,
    ErrorCode.NotConnected,
    ErrorCode.InvalidSignature,
    ErrorCode.ClientDisconnected,
    ErrorCode.Unauthorized,
    ErrorCode.ForbiddenOrigin,
    ErrorCode.Rejected,
    ErrorCode.MessageTooLarge,
    ErrorCode.UnsupportedMediaType,
    ErrorCode.IdempotencyConflict,
    ErrorCode.TooManyPending,
    ErrorCode.HolderBusy,
    ErrorCode.ShuttingDown,
    ErrorCode.ClusterUnavailable,
    ErrorCode.Timeout,
    ErrorCode.Internal,
  )
  sign(
    @Body(DtoValidationPipe) body: SignRequestDto,
    @Caller() caller: RequestCaller,
    @Headers(HEADER.idempotencyKey) idempotencyKey?: string,
    @Headers(HEADER.requestId) requestIdHeader?: string,
  ): Observable<SignResponseDto> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new SigSocketError(
        ErrorCode.InvalidRequest,
        'Idempotency-Key must be 1-255 visible ASCII characters',
      );
    }
    const message = Buffer.from(body.message, 'base64');
    const requestId =
      requestIdHeader !== undefined && isSafeRequestId(requestIdHeader) ? requestIdHeader : undefined;
    const options = {
      timeoutMs: body.timeoutMs,
      idempotencyKey,
      requestId,
      caller: caller.name,
      showCaller: caller.shown,
    };
    return this.signing.sign$(body.publicKey, message, options).pipe(
      map((result) => ({
        publicKey: result.publicKey,
        message: encodeBase64(result.message),
        signature: result.signatureBase64,
        signatureCompact: compactBase64(result),
      })),
    );
  }

  @Get('status')
  @UseGuards(RelayRouteGuard)
  @ApiOkResponse({
    type: StatusResponseDto,
    description: 'Counters of this server; in cluster mode `connections` counts the whole cluster',
  })
  @ApiErrorResponses(ErrorCode.Unauthorized, ErrorCode.ForbiddenOrigin, ErrorCode.Internal)
  async status(): Promise<StatusResponseDto> {
    const cluster = await this.registry.clusterStatus();
    return {
      connections: await this.registry.connectionCount(),
      ...(cluster === undefined ? {} : { instances: cluster.instances, cluster: { redis: cluster.redis } }),
      pending: this.signing.pendingCount(),
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
      verifier: this.verifier.backendName,
      lowS: this.verifier.lowSOnly,
      holders: this.registry.countsByProtocol(),
    };
  }

  @Get('connected/:publicKey')
  @UseGuards(RelayRouteGuard)
  @ApiParam({
    name: 'publicKey',
    description: 'SEC1 hex, compressed or uncompressed',
    example: API_EXAMPLES.publicKey,
  })
  @ApiOkResponse({
    type: ConnectedResponseDto,
    description: 'Whether the key has a holder here, or in cluster mode on any instance',
  })
  @ApiErrorResponses(
    ErrorCode.InvalidRequest,
    ErrorCode.Unauthorized,
    ErrorCode.ForbiddenOrigin,
    ErrorCode.Internal,
  )
  async connected(@Param('publicKey') publicKey: string): Promise<ConnectedResponseDto> {
    return { connected: await this.registry.isConnected(publicKey) };
  }
}

/**
 * `signatureCompact` in base64. Most holders answer with exactly that (64 bytes, low S, canonical
 * base64), and then it is their own text, which saves encoding the bytes again on every sign.
 */
function compactBase64({ signature, signatureBase64, signatureCompact }: SignResult): string {
  const same =
    signature.length === 64 &&
    signatureBase64.length === 88 &&
    !isHighS(signature) &&
    hasCanonicalPadding(signatureBase64);
  return same ? signatureBase64 : encodeBase64(signatureCompact);
}
