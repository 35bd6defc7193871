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
import { ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import { isSafeRequestId, REQUEST_ID_HEADER } from '../logging/request-id.js';
import { encodeBase64 } from '../protocol/base64.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { RegistryService } from '../registry/registry.service.js';
import { SigningService } from '../signing/signing.service.js';
import { SIGSOCKET_OPTIONS } from '../sigsocket.constants.js';
import type { ResolvedSigSocketOptions } from '../sigsocket-options.interface.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { ApiKeyGuard } from './api-key.guard.js';
import { Caller } from './caller.decorator.js';
import { ConnectedResponseDto } from './dto/connected-response.dto.js';
import { SignRequestDto } from './dto/sign-request.dto.js';
import { SignResponseDto } from './dto/sign-response.dto.js';
import { StatusResponseDto } from './dto/status-response.dto.js';
import { DtoValidationPipe } from './dto-validation.pipe.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Logged at boot when the routes below are mounted and no API key protects them. */
export const OPEN_ROUTES_WARNING =
  'POST /sign, GET /status and GET /connected/:publicKey are mounted without API keys: anyone who can reach ' +
  'this server can ask connected holders to sign. Set apiKeys (API_KEYS), or import SigSocketModule with ' +
  '{ http: false } to leave the routes out.';

/** The REST face: parse, validate, delegate. */
@ApiTags('relay')
@Controller()
@UseFilters(SigSocketExceptionFilter)
@UseGuards(ApiKeyGuard)
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
  @ApiOperation({ summary: "Ask the key's holder to sign the message; answers once the signature verifies" })
  @ApiOkResponse({ type: SignResponseDto })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: '1-255 visible ASCII characters' })
  @ApiErrorResponses(
    ErrorCode.InvalidRequest,
    ErrorCode.NotConnected,
    ErrorCode.InvalidSignature,
    ErrorCode.ClientDisconnected,
    ErrorCode.Unauthorized,
    ErrorCode.Rejected,
    ErrorCode.MessageTooLarge,
    ErrorCode.IdempotencyConflict,
    ErrorCode.TooManyPending,
    ErrorCode.HolderBusy,
    ErrorCode.ShuttingDown,
    ErrorCode.Timeout,
    ErrorCode.Internal,
  )
  sign(
    @Body(DtoValidationPipe) body: SignRequestDto,
    @Caller() caller: string,
    @Headers('idempotency-key') idempotencyKey?: string,
    @Headers(REQUEST_ID_HEADER) requestIdHeader?: string,
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
    const options = { timeoutMs: body.timeoutMs, idempotencyKey, requestId, caller };
    return this.signing.sign$(body.publicKey, message, options).pipe(
      map((result) => ({
        publicKey: result.publicKey,
        message: encodeBase64(result.message),
        signature: result.signatureBase64,
      })),
    );
  }

  @Get('status')
  @ApiOkResponse({ type: StatusResponseDto })
  @ApiErrorResponses(ErrorCode.Unauthorized, ErrorCode.Internal)
  status(): StatusResponseDto {
    return {
      connections: this.registry.connectionCount(),
      pending: this.signing.pendingCount(),
      uptimeSeconds: Math.floor((Date.now() - this.startedAt) / 1000),
      verifier: this.verifier.backendName,
      lowS: this.verifier.lowSOnly,
    };
  }

  @Get('connected/:publicKey')
  @ApiParam({ name: 'publicKey', description: 'SEC1 hex, compressed or uncompressed' })
  @ApiOkResponse({ type: ConnectedResponseDto })
  @ApiErrorResponses(ErrorCode.InvalidRequest, ErrorCode.Unauthorized, ErrorCode.Internal)
  connected(@Param('publicKey') publicKey: string): ConnectedResponseDto {
    return { connected: this.registry.isConnected(publicKey) };
  }
}
