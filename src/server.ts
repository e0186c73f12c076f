// `npm start`: read the configuration, start Gatehouse, stop gracefully on SIGTERM/SIGINT.
import { loadConfig, ConfigError } from '../config/index.js';
import { createLogger } from './logger.js';
import { resolveLogFormat } from './log-format.js';
import { startGatehouse } from './gatehouse.js';
import { ListenError } from './listen.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel, undefined, { pretty: resolveLogFormat(config.logFormat, process.stdout.isTTY === true) === 'pretty' });
  try {
    const gatehouse = await startGatehouse(config, logger);
    const shutdown = (signal: string) => {
      logger.info({ signal }, 'signal received');
      gatehouse.stop().then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  } catch (err) {
    // A listen failure is the operator's to fix, and its message says how: no stack trace.
    logger.fatal(err instanceof ListenError ? { code: err.code } : { err }, `start failed: ${(err as Error).message}`);
    process.exit(1);
  }
}

void main();
