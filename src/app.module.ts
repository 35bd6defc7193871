import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { SigSocketExceptionFilter } from './common/sigsocket-exception.filter.js';
import type { Environment } from './config/environment.js';
import { moduleOptionsFrom } from './config/module-options.js';
import { DemoModule } from './demo/demo.module.js';
import { SigSocketOpsModule } from './ops/sigsocket-ops.module.js';
import { SigSocketModule } from './sigsocket.module.js';

/** The standalone server: SigSocketModule configured from the environment, with its operational routes and the demo page. */
@Module({})
export class AppModule {
  static register(env: Environment): DynamicModule {
    const sigsocket = SigSocketModule.forRoot(moduleOptionsFrom(env));
    return {
      module: AppModule,
      imports: [
        sigsocket,
        SigSocketOpsModule.forRoot({ imports: [sigsocket], metricsToken: env.METRICS_TOKEN }),
        ...(env.DEMO ? [DemoModule] : []),
      ],
      providers: [
        // Errors raised before a route (bad JSON, unknown paths) need the filter app-wide.
        { provide: APP_FILTER, useClass: SigSocketExceptionFilter },
      ],
    };
  }
}
