import { DynamicModule, Module, Provider } from '@nestjs/common';
import { CLUSTER_PARTS_PROVIDER } from './cluster/cluster.providers.js';
import { SigSocketExceptionFilter } from './common/sigsocket-exception.filter.js';
import { SigSocketLifecycle } from './gateway/sigsocket-lifecycle.service.js';
import { SigSocketGateway } from './gateway/sigsocket.gateway.js';
import { ApiKeyGuard } from './http/api-key.guard.js';
import { CrossSiteGuard } from './http/cross-site.guard.js';
import { DtoValidationPipe } from './http/dto-validation.pipe.js';
import { JsonBodyGuard } from './http/json-body.guard.js';
import { RelayRouteGuard, SignRouteGuard } from './http/route-guards.js';
import { SigSocketMetrics } from './metrics/sigsocket-metrics.service.js';
import { SigSocketController } from './http/sigsocket.controller.js';
import { RegistryService } from './registry/registry.service.js';
import { HolderOutbox } from './signing/holder-outbox.js';
import { ClusterRelay } from './signing/cluster-relay.js';
import { HolderRouter } from './signing/holder-router.service.js';
import { SigningService } from './signing/signing.service.js';
import { SIGSOCKET_OPTIONS } from './sigsocket.constants.js';
import {
  ResolvedSigSocketOptions,
  resolveOptions,
  SigSocketModuleAsyncOptions,
  SigSocketModuleExtras,
  SigSocketModuleOptions,
} from './sigsocket-options.interface.js';
import { SignatureVerifierService } from './verification/signature-verifier.service.js';

const OUTBOX: Provider = {
  provide: HolderOutbox,
  useFactory: (options: ResolvedSigSocketOptions) =>
    new HolderOutbox(options.maxHolderBufferBytes, options.maxBufferedBytes),
  inject: [SIGSOCKET_OPTIONS],
};

const PROVIDERS: Provider[] = [
  OUTBOX,
  CLUSTER_PARTS_PROVIDER,
  ClusterRelay,
  SignatureVerifierService,
  RegistryService,
  HolderRouter,
  SigningService,
  SigSocketGateway,
  SigSocketLifecycle,
  SigSocketExceptionFilter,
  DtoValidationPipe,
  ApiKeyGuard,
  CrossSiteGuard,
  JsonBodyGuard,
  RelayRouteGuard,
  SignRouteGuard,
  SigSocketMetrics,
];

/**
 * The SigSocket relay as a Nest module: the `/ws` gateway, the REST controller (unless
 * `http: false`) and the injectable {@link SigningService} and {@link RegistryService}.
 * The host app must serve WebSockets with {@link SigSocketWsAdapter}.
 */
@Module({})
export class SigSocketModule {
  static forRoot(options: SigSocketModuleOptions = {}, extras: SigSocketModuleExtras = {}): DynamicModule {
    return SigSocketModule.build(
      { provide: SIGSOCKET_OPTIONS, useValue: resolveOptions(options) },
      [],
      extras,
    );
  }

  static forRootAsync(options: SigSocketModuleAsyncOptions): DynamicModule {
    const optionsProvider: Provider = {
      provide: SIGSOCKET_OPTIONS,
      useFactory: async (...args: never[]) => resolveOptions(await options.useFactory(...args)),
      inject: options.inject ?? [],
    };
    return SigSocketModule.build(optionsProvider, options.imports ?? [], options);
  }

  private static build(
    optionsProvider: Provider,
    imports: NonNullable<SigSocketModuleAsyncOptions['imports']>,
    extras: SigSocketModuleExtras,
  ): DynamicModule {
    return {
      module: SigSocketModule,
      imports,
      controllers: extras.http === false ? [] : [SigSocketController],
      providers: [optionsProvider, ...PROVIDERS],
      exports: [SigningService, RegistryService, SignatureVerifierService, SigSocketMetrics],
    };
  }
}
