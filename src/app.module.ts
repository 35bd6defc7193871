import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SigSocketExceptionFilter } from './common/sigsocket-exception.filter.js';
import type { Environment } from './config/environment.js';
import { SigSocketOpsModule } from './ops/sigsocket-ops.module.js';
import { SigSocketModule } from './sigsocket.module.js';

/** The standalone server: SigSocketModule configured from the environment, with its operational routes. */
@Module({})
export class AppModule {
  static register(env: Environment): DynamicModule {
    const sigsocket = SigSocketModule.forRoot({
      signTimeoutMs: env.SIGN_TIMEOUT_MS,
      maxSignTimeoutMs: env.MAX_SIGN_TIMEOUT_MS,
      heartbeatIntervalMs: env.HEARTBEAT_INTERVAL_MS,
      handshakeTimeoutMs: env.HANDSHAKE_TIMEOUT_MS,
      verifier: env.VERIFIER,
      lowS: env.LOW_S,
      proofOfPossession: env.PROOF_OF_POSSESSION,
      apiKeys: env.API_KEYS,
      allowedOrigins: env.ALLOWED_ORIGINS,
      maxMessageBytes: env.MAX_MESSAGE_BYTES,
      maxPendingPerKey: env.MAX_PENDING_PER_KEY,
      maxConnectionsPerIp: env.MAX_CONNECTIONS_PER_IP,
      trustProxy: env.TRUST_PROXY,
      reconnectGraceMs: env.RECONNECT_GRACE_MS,
      idempotencyTtlMs: env.IDEMPOTENCY_TTL_MS,
      idempotencyMaxKeys: env.IDEMPOTENCY_MAX_KEYS,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    });
    return {
      module: AppModule,
      imports: [
        sigsocket,
        SigSocketOpsModule.forRoot({ imports: [sigsocket], metricsToken: env.METRICS_TOKEN }),
      ],
      providers: [
        // Errors raised before a route (bad JSON, unknown paths) need the filter app-wide.
        { provide: APP_FILTER, useClass: SigSocketExceptionFilter },
      ],
    };
  }
}
