import { DynamicModule, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { RelayHealthIndicator } from './relay.health.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsSourcesBinder } from './metrics-sources.binder.js';
import { MetricsTokenGuard } from './metrics-token.guard.js';
import { OpsExceptionFilter } from './ops-exception.filter.js';
import { SIGSOCKET_OPS_OPTIONS } from './ops.constants.js';
import type { ResolvedSigSocketOpsOptions, SigSocketOpsModuleOptions } from './ops-options.interface.js';

/**
 * Health probes and the Prometheus endpoint for an app that imports SigSocketModule:
 *
 * ```ts
 * const sigsocket = SigSocketModule.forRoot(options);
 * imports: [sigsocket, SigSocketOpsModule.forRoot({ imports: [sigsocket] })]
 * ```
 */
@Module({})
export class SigSocketOpsModule {
  static forRoot(options: SigSocketOpsModuleOptions): DynamicModule {
    const resolved: ResolvedSigSocketOpsOptions = {
      health: options.health ?? true,
      metrics: options.metrics ?? true,
      metricsToken: options.metricsToken ?? '',
      processMetrics: options.processMetrics ?? true,
    };
    return {
      module: SigSocketOpsModule,
      imports: [TerminusModule.forRoot(), ...options.imports],
      controllers: [
        ...(resolved.health ? [HealthController] : []),
        ...(resolved.metrics ? [MetricsController] : []),
      ],
      providers: [
        { provide: SIGSOCKET_OPS_OPTIONS, useValue: resolved },
        RelayHealthIndicator,
        MetricsSourcesBinder,
        MetricsTokenGuard,
        OpsExceptionFilter,
      ],
    };
  }
}
