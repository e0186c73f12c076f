// The CLI's commands: each declares its flags and runs one service call.
import type { ParseArgsConfig } from 'node:util';
import type { Context } from '../context.js';
import type { Services } from '../services.js';
import { ValidationError } from '../errors.js';
import { isKind } from '../users/user-validation.js';
import { USER_STATUSES, type UserStatus } from '../users/user-model.js';

type Values = Record<string, string | boolean | undefined>;

interface Command {
  usage: string;
  summary: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(services: Services, ctx: Context, values: Values, positionals: string[]): Promise<string | void>;
}

const s = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function roleIdsByName(services: Services, names: string | undefined): Promise<string[]> {
  if (!names) return [];
  const ids: string[] = [];
  for (const name of names.split(',').map((n) => n.trim()).filter(Boolean)) {
    const role = await services.roles.findByName(name);
    if (!role) throw new ValidationError({ roles: `No role named "${name}".` });
    ids.push(role.id);
  }
  return ids;
}

async function userByLogin(services: Services, login: string | undefined) {
  if (!login) throw new ValidationError({ user: 'Name the user by username or email.' });
  const user = await services.users.findByLogin(login);
  if (!user) throw new ValidationError({ user: `No user with username or email "${login}".` });
  return user;
}

function parseLimit(raw: string | undefined): number | null {
  if (raw === undefined || raw === '' || raw === 'unlimited') return null;
  if (!/^\d+$/.test(raw)) throw new ValidationError({ limit: 'Limit must be a whole number or "unlimited".' });
  return Number(raw);
}

export const COMMANDS: Record<string, Command> = {
  migrate: { usage: '', summary: 'Apply pending database migrations.', options: {}, run: async () => undefined },

  'create-owner': {
    usage: '--email EMAIL --name NAME --password PASSWORD [--username NAME]',
    summary: 'Create the owner account without the setup link (automation).',
    options: { email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' }, username: { type: 'string' } },
    async run(services, ctx, v) {
      const owner = await services.setup.createOwnerAccount(ctx, { email: s(v.email) ?? '', name: s(v.name) ?? '', username: s(v.username) }, s(v.password) ?? '');
      return `Owner created: ${owner.username} <${owner.email}> (${owner.id})`;
    },
  },

  'users list': {
    usage: '[--status active|inactive|unconfirmed] [--limit N]',
    summary: 'List accounts.',
    options: { status: { type: 'string' }, limit: { type: 'string' } },
    async run(services, _ctx, v) {
      const status = s(v.status);
      if (status && !(USER_STATUSES as readonly string[]).includes(status)) throw new ValidationError({ status: `Status must be one of ${USER_STATUSES.join(', ')}.` });
      const users = await services.users.list({ status: status as UserStatus | undefined, limit: Number(s(v.limit) ?? 100) || 100 });
      return table([['USERNAME', 'EMAIL', 'KIND', 'STATUS', 'ROLES', 'ID'], ...users.map((u) => [u.username, u.email, u.kind, u.status, u.roles.map((r) => r.name).join(','), u.id])]);
    },
  },

  'users add': {
    usage: '--email EMAIL [--username NAME] [--name NAME] [--kind user|requester] [--roles Admin,Member] [--password P] [--unconfirmed]',
    summary: 'Add an account (takes a seat).',
    options: {
      email: { type: 'string' }, username: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' },
      roles: { type: 'string' }, password: { type: 'string' }, unconfirmed: { type: 'boolean' },
    },
    async run(services, ctx, v) {
      const kind = s(v.kind) ?? 'user';
      if (!isKind(kind)) throw new ValidationError({ kind: 'Kind must be user or requester.' });
      const user = await services.users.create(
        ctx,
        { email: s(v.email), username: s(v.username), displayName: s(v.name), kind },
        { source: 'admin', origin: 'page', status: v.unconfirmed ? 'unconfirmed' : 'active', password: s(v.password), roleIds: await roleIdsByName(services, s(v.roles)) },
      );
      return `Created ${user.username} <${user.email}> (${user.id}), ${user.status}`;
    },
  },

  'users deactivate': {
    usage: 'USERNAME_OR_EMAIL [--reason TEXT]',
    summary: 'Deactivate an account and end its sessions and tokens.',
    options: { reason: { type: 'string' } },
    async run(services, ctx, v, [login]) {
      const user = await services.users.deactivate(ctx, (await userByLogin(services, login)).id, s(v.reason));
      return `Deactivated ${user.username}`;
    },
  },

  'users reactivate': {
    usage: 'USERNAME_OR_EMAIL',
    summary: 'Reactivate an inactive account (takes a seat).',
    options: {},
    async run(services, ctx, _v, [login]) {
      const user = await services.users.reactivate(ctx, (await userByLogin(services, login)).id);
      return `Reactivated ${user.username}`;
    },
  },

  'roles list': {
    usage: '',
    summary: 'List roles with their holders and permissions.',
    options: {},
    async run(services) {
      const roles = await services.roles.list();
      return table([['ROLE', 'BUILT-IN', 'HOLDERS', 'PERMISSIONS'], ...roles.map((r) => [r.name, r.builtin ? 'yes' : '', String(r.holders), r.permissions.join(',')])]);
    },
  },

  'seats show': {
    usage: '',
    summary: 'Show seat usage per pool.',
    options: {},
    async run(services) {
      const pools = await services.seats.allUsage();
      return table([
        ['POOL', 'USED', 'LIMIT', 'ACCOUNTS', 'INVITED', 'LIMIT SET BY'],
        ...pools.map((p) => [p.pool, String(p.used), p.limit === null ? 'unlimited' : String(p.limit), String(p.accounts), String(p.invited), p.limitFromConfig ? 'configuration' : 'owner']),
      ]);
    },
  },

  'seats set': {
    usage: 'user|requester LIMIT|unlimited',
    summary: 'Set a pool limit (refused when configuration sets it).',
    options: {},
    async run(services, ctx, _v, [pool, limit]) {
      if (!pool || !isKind(pool)) throw new ValidationError({ pool: 'Pool must be user or requester.' });
      await services.seats.setLimit(ctx, pool, parseLimit(limit));
      return `Seat limit for ${pool}: ${limit ?? 'unlimited'}`;
    },
  },
};

export const HELP = `Gatehouse command line

Usage: npm run cli -- <command> [options]

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${(name + ' ' + c.usage).trim()}\n      ${c.summary}`)
  .join('\n')}

Configuration comes from the environment (see README.md), e.g. DATABASE_URL.
`;
