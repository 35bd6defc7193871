import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createSigSocketApp } from './bootstrap.js';
import { ConfigurationError, loadEnvironment } from './config/load-environment.js';

async function main(): Promise<void> {
  const logger = new Logger('SigSocket');
  try {
    const env = loadEnvironment();
    const app = await createSigSocketApp(env);
    await app.listen(env.PORT, env.HOST);
    logger.log(`listening on http://${env.HOST}:${env.PORT} (ws path /ws, ${env.HTTP_ADAPTER})`);
  } catch (error) {
    const reason = error instanceof ConfigurationError ? `invalid configuration:\n${error.message}` : error;
    logger.error(reason instanceof Error ? (reason.stack ?? reason.message) : String(reason));
    process.exitCode = 1;
  }
}

void main();
