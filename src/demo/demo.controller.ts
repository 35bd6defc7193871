import { Controller, Get, Inject, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ApiExcludeController } from '@nestjs/swagger';
import { SigSocketError } from '../common/sigsocket.error.js';
import { ErrorCode } from '../protocol/error-codes.js';
import { DEMO_PAGE } from './demo.constants.js';
import type { DemoPage } from './demo-page.js';

/**
 * `GET /demo`: the browser key holder, one self-contained page. Served by a controller, through
 * the HTTP adapter, so it behaves the same on Express and Fastify.
 */
@ApiExcludeController()
@Controller('demo')
export class DemoController {
  constructor(
    @Inject(DEMO_PAGE) private readonly page: DemoPage | null,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  show(@Res({ passthrough: true }) response: unknown): string {
    if (this.page === null) throw new SigSocketError(ErrorCode.NotFound, 'the demo page was not built');
    for (const [name, value] of Object.entries(this.page.headers)) {
      this.adapterHost.httpAdapter.setHeader(response, name, value);
    }
    return this.page.html;
  }
}
