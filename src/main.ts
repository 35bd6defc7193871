import 'reflect-metadata';
import { createSigSocketApp } from './bootstrap.js';
import { bootLogFormat, ConfigurationError, loadEnvironment } from './config/load-environment.js';
import { SigSocketLogger } from './logging/sigsocket-logger.js';

const CONTEXT = 'SigSocket';

async function main(): Promise<void> {
  // Until the configuration is known to be valid, log in the format it asks for, at info level.
  const logger = new SigSocketLogger(bootLogFormat(), ['fatal', 'error', 'warn', 'log']);
  try {
    const env = loadEnvironment();
    const app = await createSigSocketApp(env);
    await app.listen(env.PORT, env.HOST);
    logger.log(`listening on http://${env.HOST}:${env.PORT} (ws path /ws, ${env.HTTP_ADAPTER})`, CONTEXT);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      logger.error(`invalid configuration: ${error.message.split('\n').join('; ')}`, CONTEXT);
    } else {
      logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error), CONTEXT);
    }
    process.exitCode = 1;
  }
}

void main();
