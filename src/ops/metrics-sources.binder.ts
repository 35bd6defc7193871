import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics } from 'prom-client';
import { SIGSOCKET_OPS_OPTIONS } from './ops.constants.js';
import type { ResolvedSigSocketOpsOptions } from './ops-options.interface.js';
import { RegistryService } from '../registry/registry.service.js';
import { SigningService } from '../signing/signing.service.js';
import { SigSocketMetrics } from '../metrics/sigsocket-metrics.service.js';

/** Points the gauges at the live registry and pending map, and adds the process metrics. */
@Injectable()
export class MetricsSourcesBinder implements OnModuleInit {
  constructor(
    @Inject(SIGSOCKET_OPS_OPTIONS) private readonly options: ResolvedSigSocketOpsOptions,
    private readonly metrics: SigSocketMetrics,
    private readonly registry: RegistryService,
    private readonly signing: SigningService,
  ) {}

  onModuleInit(): void {
    this.metrics.bindGauges({
      connections: () => this.registry.localCount,
      pending: () => this.signing.pendingCount(),
      buffered: () => this.signing.bufferedBytes(),
    });
    if (this.options.processMetrics) collectDefaultMetrics({ register: this.metrics.registry });
  }
}
