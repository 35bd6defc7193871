import type { INestApplicationContext } from '@nestjs/common';
import { SigSocketWsAdapter } from './sigsocket-ws.adapter.js';

describe('SigSocketWsAdapter', () => {
  it('fails loudly when the app has no SigSocketModule options, instead of dropping its limits', () => {
    const appContext = {
      get: () => {
        throw new Error('Nest could not find SIGSOCKET:MODULE_OPTIONS element');
      },
    } as unknown as INestApplicationContext;
    const adapter = new SigSocketWsAdapter(appContext);
    expect(() => adapter.create(0, { path: '/ws' })).toThrow(/without SigSocketModule/);
  });
});
