// The `sigsocket/express` entry: only Express hosts load @nestjs/platform-express through it.
export { SigSocketExpressAdapter } from './http/sigsocket-express.adapter.js';
