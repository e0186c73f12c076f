// What a CLI command is: its flags, its one-line help, and the call it runs (on the wired
// services, or on the database alone). Below the command lists, which all import it.
import type { ParseArgsConfig } from 'node:util';
import type { Config } from '../../config/index.js';
import type { Context } from '../context.js';
import type { Database } from '../db/database.js';
import type { Services } from '../services.js';

// string[] for options declared `multiple` (clients add --redirect-uri).
export type Values = Record<string, string | boolean | string[] | undefined>;

export interface Command {
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(services: Services, ctx: Context, values: Values, positionals: string[]): Promise<string | void>;
}

/** A command on the database alone, before any service is wired (they may write to it). */
export interface DatabaseCommand {
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  runOnDatabase(db: Database, config: Readonly<Config>, values: Values, positionals: string[]): Promise<string | void>;
}
