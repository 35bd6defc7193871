import { Controller, Get, Header, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { OperationalEndpoint } from './operational-endpoint.decorator.js';
import { OpsExceptionFilter } from './ops-exception.filter.js';
import { RelayHealthIndicator } from './relay.health.js';

/** Probes for orchestrators: liveness says the process serves HTTP, readiness that it takes work. */
@ApiTags('operations')
@OperationalEndpoint()
@UseFilters(OpsExceptionFilter)
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly relay: RelayHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Same as /health/ready' })
  check(): Promise<HealthCheckResult> {
    return this.ready();
  }

  @Get('live')
  @Header('Cache-Control', 'no-cache, no-store, must-revalidate')
  @ApiOperation({ summary: 'Liveness: 200 while the process serves HTTP, draining included' })
  live(): HealthCheckResult {
    // Not through HealthCheckService: once shutdown begins it answers 503 to every check, and a
    // draining process is still alive. An orchestrator must not kill it mid-drain.
    return { status: 'ok', info: {}, error: {}, details: {} };
  }

  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Readiness: 503 once shutdown has begun' })
  ready(): Promise<HealthCheckResult> {
    // No Redis check: every replica loses Redis at once, and failing readiness then would take the
    // whole service down while local holders still sign. /status and a metric show Redis instead.
    return this.health.check([() => this.relay.isReady()]);
  }
}
