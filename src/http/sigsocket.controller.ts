import { Body, Controller, Get, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { SigSocketExceptionFilter } from '../common/sigsocket-exception.filter.js';
import { encodeBase64 } from '../protocol/base64.js';
import { RegistryService } from '../registry/registry.service.js';
import { SigningService } from '../signing/signing.service.js';
import { SignatureVerifierService } from '../verification/signature-verifier.service.js';
import { ConnectedResponseDto } from './dto/connected-response.dto.js';
import { SignRequestDto } from './dto/sign-request.dto.js';
import { SignResponseDto } from './dto/sign-response.dto.js';
import { StatusResponseDto } from './dto/status-response.dto.js';
import { DtoValidationPipe } from './dto-validation.pipe.js';

/** The REST face: parse, validate, delegate. */
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
  connected(@Param('publicKey') publicKey: string): ConnectedResponseDto {
    return { connected: this.registry.isConnected(publicKey) };
  }
}
