import { Logger, Module } from '@nestjs/common';
import { DEMO_PAGE, DEMO_PAGE_FILE } from './demo.constants.js';
import { DemoController } from './demo.controller.js';
import { loadDemoPage } from './demo-page.js';

/** The demo page at `GET /demo`, read once at boot. The standalone server imports it unless `DEMO=false`. */
@Module({
  controllers: [DemoController],
  providers: [
    {
      provide: DEMO_PAGE,
      useFactory: async () => {
        const page = await loadDemoPage(DEMO_PAGE_FILE);
        if (page === null) {
          new Logger(DemoModule.name).warn(
            'the demo page was not built (npm run build): GET /demo answers 404',
          );
        }
        return page;
      },
    },
  ],
})
export class DemoModule {}
