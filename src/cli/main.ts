// `npm run cli -- <command>`: operator commands over the same services the pages use.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from '../../config/index.js';
import { createLogger } from '../logger.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrator.js';
import { createServices, type Services } from '../services.js';
import { systemClock } from '../clock.js';
import { systemContext } from '../context.js';
import { DomainError, ValidationError } from '../errors.js';
import { COMMANDS, HELP } from './commands.js';
import { createOidcEdge } from '../../oidc/index.js';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const key = COMMANDS[command] ? command : `${command} ${rest[0] ?? ''}`.trim();
  const spec = COMMANDS[key];
  if (!spec) {
    process.stderr.write(`Unknown command "${key}". Run with --help to see the commands.\n`);
    return 64;
  }
  const args = key === command ? rest : rest.slice(1);
  let parsed;
  try {
    parsed = parseArgs({ args, options: spec.options, allowPositionals: true, strict: true });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\nUsage: npm run cli -- ${key} ${spec.usage}\n`);
    return 64;
  }
  const config = loadConfig();
  // Logs go to stderr so command output on stdout stays machine-readable.
  const logger = createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel, undefined);
  const db = await openDatabase(config.database, logger, config.databaseConnectTimeoutMs, config.databaseTimeouts);
  try {
    const applied = await migrate(db, logger);
    if (key === 'migrate') {
      process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Schema is up to date.\n');
      return 0;
    }
    if ('runOnDatabase' in spec) {
      const out = await spec.runOnDatabase(db, config, parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
      if (out) process.stdout.write(out.endsWith('\n') ? out : out + '\n');
      return 0;
    }
    const services: Services = createServices(config, db, logger, systemClock);
    // The OIDC edge registers the provider's AccessRevoker: a deactivation or deletion from
    // the CLI must end the user's provider sessions and tokens too (access ends on every path).
    await createOidcEdge(services);
    const out = await spec.run(services, systemContext('cli', 'command line'), parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
    if (out) process.stdout.write(out.endsWith('\n') ? out : out + '\n');
    // Mail enqueued by the command is delivered by the running server's worker.
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else if (err instanceof ValidationError) process.stderr.write(`${err.message}\n${Object.entries(err.fields).map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n`);
    else if (err instanceof DomainError && err.expose) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${(err as Error).stack ?? err}\n`);
    process.exit(err instanceof DomainError || err instanceof ConfigError ? 1 : 70);
  },
);
