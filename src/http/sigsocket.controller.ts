import { Body, Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { SigSocketExceptionFilter } from '../common/sigsocket-exception.filter.js';
import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import { encodeBase64 } from '../protocol/base64.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { RegistryService } from '../registry/registry.service.js';
import { SigningService } from '../signing/signing.service.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { ConnectedResponseDto } from './dto/connected-response.dto.js';
import { SignRequestDto } from './dto/sign-request.dto.js';
import { SignResponseDto } from './dto/sign-response.dto.js';
import { StatusResponseDto } from './dto/status-response.dto.js';
import { DtoValidationPipe } from './dto-validation.pipe.js';

/** The REST face: parse, validate, delegate. */
@ApiTags('relay')
@Controller()
@UseFilters(SigSocketExceptionFilter)
export class SigSocketController {
  private readonly startedAt = Date.now();

  constructor(
    private readonly signing: SigningService,
    private readonly registry: RegistryService,
    private readonly verifier: SignatureVerifierService,
  ) {}

  @Post('sign')
  @HttpCode(200)
  @ApiOperation({ summary: "Ask the key's holder to sign the message; answers once the signature verifies" })
  @ApiOkResponse({ type: SignResponseDto })
  @ApiErrorResponses(
    ErrorCode.InvalidRequest,
    ErrorCode.NotConnected,
    ErrorCode.InvalidSignature,
    ErrorCode.ClientDisconnected,
    ErrorCode.Timeout,
    ErrorCode.Internal,
  )
  async sign(@Body(DtoValidationPipe) body: SignRequestDto): Promise<SignResponseDto> {
    const message = Buffer.from(body.message, 'base64');
    const result = await this.signing.sendToSign(body.publicKey, message, { timeoutMs: body.timeoutMs });
    return {
      publicKey: result.publicKey,
      message: encodeBase64(result.message),
      signature: result.signatureBase64,
    };
  }

  @Get('status')
  @ApiOkResponse({ type: StatusResponseDto })
  @ApiErrorResponses(ErrorCode.Internal)
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
  @ApiErrorResponses(ErrorCode.InvalidRequest, ErrorCode.Internal)
  connected(@Param('publicKey') publicKey: string): ConnectedResponseDto {
    return { connected: this.registry.isConnected(publicKey) };
  }
}
