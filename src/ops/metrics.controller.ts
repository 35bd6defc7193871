import { Controller, Get, Header, UseFilters, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { METRICS_SECURITY } from '../openapi/openapi.constants.js';
import { OperationalEndpoint } from './operational-endpoint.decorator.js';
import { OpsExceptionFilter } from './ops-exception.filter.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';

/** `GET /metrics` in the Prometheus text format. */
@ApiTags('operations')
@ApiBearerAuth(METRICS_SECURITY)
@OperationalEndpoint()
@UseFilters(OpsExceptionFilter)
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: SigSocketMetrics) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'Prometheus metrics; a Bearer token is required when METRICS_TOKEN is set' })
  @ApiProduces(Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOkResponse({ schema: { type: 'string' } })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the request did not present it' })
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
