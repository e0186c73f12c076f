// The CLI's commands: each declares its flags and runs one service call.
import fs from 'node:fs';
import path from 'node:path';
import type { Services } from '../services.js';
import { ProgressBar } from './progress-bar.js';
import { formatRun } from './run-report.js';
import { DirectoryError } from '../directory/ldap-client.js';
import { ValidationError } from '../errors.js';
import { isKind } from '../users/user-validation.js';
import { USER_STATUSES, type UserStatus } from '../users/user-model.js';
import { CLIENT_TYPES, DEFAULT_SIGNING_ALG, type ClientType, type SigningAlg } from '../clients/client-service.js';
// The CLI is an edge: it may build the OIDC edge's key store (keys rotate).
import { defineOidcModels } from '../../oidc/oidc-models.js';
import { KeyStore, RETIRED_KEY_PUBLISH_MS } from '../../oidc/key-store.js';
import type { Command, DatabaseCommand, Values } from './command.js';
import { BACKUP_COMMANDS } from './backup-commands.js';
import { WEBHOOK_COMMANDS } from './webhook-commands.js';
import { parseZonedDateTime } from '../zoned-time.js';

export type { Command, DatabaseCommand } from './command.js';

const s = (v: Values[string]) => (typeof v === 'string' ? v : undefined);
/** A repeatable option, each occurrence possibly a comma list: every non-empty item. */
const list = (v: Values[string]) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);

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

/** An end date as given: "YYYY-MM-DD[THH:MM]" in the organization's time zone, or an ISO instant. */
async function endDateOf(services: Services, text: string | undefined): Promise<Date | null> {
  if (text === undefined) return null;
  const timeZone = await services.settings.get('timeZone');
  const at = parseZonedDateTime(text, timeZone);
  if (!at) throw new ValidationError({ ends: `"${text}" is not a date and time such as 2030-12-31T17:00 (read in ${timeZone}) or 2030-12-31T16:00:00Z.` });
  return at;
}

function parseLimit(raw: string | undefined): number | null {
  if (raw === undefined || raw === '' || raw === 'unlimited') return null;
  if (!/^\d+$/.test(raw)) throw new ValidationError({ limit: 'Limit must be a whole number or "unlimited".' });
  return Number(raw);
}

export const COMMANDS: Record<string, Command | DatabaseCommand> = {
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
      return table([['USERNAME', 'EMAIL', 'KIND', 'STATUS', 'ROLES', 'ID'], ...users.map((u) => [u.username, u.email ?? '-', u.kind, u.status, u.roles.map((r) => r.name).join(','), u.id])]);
    },
  },

  'users add': {
    usage: '--email EMAIL [--username NAME] [--name NAME] [--kind user|requester] [--roles Admin,Member] [--password P] [--unconfirmed] [--ends DATE]',
    summary: 'Add an account (takes a seat).',
    options: {
      email: { type: 'string' }, username: { type: 'string' }, name: { type: 'string' }, kind: { type: 'string' },
      roles: { type: 'string' }, password: { type: 'string' }, unconfirmed: { type: 'boolean' }, ends: { type: 'string' },
    },
    async run(services, ctx, v) {
      const kind = s(v.kind) ?? 'user';
      if (!isKind(kind)) throw new ValidationError({ kind: 'Kind must be user or requester.' });
      const user = await services.users.create(
        ctx,
        { email: s(v.email), username: s(v.username), displayName: s(v.name), kind },
        { source: 'admin', origin: 'page', status: v.unconfirmed ? 'unconfirmed' : 'active', password: s(v.password), roleIds: await roleIdsByName(services, s(v.roles)), accessEndsAt: await endDateOf(services, s(v.ends)) },
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
    usage: 'USERNAME_OR_EMAIL [--ends DATE | --no-end-date]',
    summary: 'Reactivate an inactive account (takes a seat); one whose end date passed needs a new date or none.',
    options: { ends: { type: 'string' }, 'no-end-date': { type: 'boolean' } },
    async run(services, ctx, v, [login]) {
      const id = (await userByLogin(services, login)).id;
      const user = v['no-end-date'] || s(v.ends) !== undefined ? await services.accessEnds.reactivateWith(ctx, id, await endDateOf(services, s(v.ends))) : await services.users.reactivate(ctx, id);
      return `Reactivated ${user.username}`;
    },
  },

  'users end-date': {
    usage: 'USERNAME_OR_EMAIL DATE|none',
    summary: "Set, move or clear (none) when an account's access ends; DATE is read in the organization's time zone.",
    options: {},
    async run(services, ctx, _v, [login, date]) {
      if (!date) throw new ValidationError({ ends: 'Give the end date (such as 2030-12-31T17:00) or none.' });
      const user = await services.accessEnds.set(ctx, (await userByLogin(services, login)).id, date === 'none' ? null : await endDateOf(services, date));
      return user.accessEndsAt ? `Access of ${user.username} ends ${user.accessEndsAt.toISOString()}` : `Access of ${user.username} has no end date`;
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

  // SCIM bearer tokens until the admin page for them exists.
  'scim-tokens create': {
    usage: 'NAME [--permissions PERMISSION,...] [--connection NAME]',
    summary: 'Create a SCIM bearer token for a directory; the token is printed once. Default permissions: every catalogue permission but seats.manage and billing.manage. --connection names the provisioning connection (its externalIds): an existing SCIM connection of that name, else a new one; default: the token\'s name.',
    options: { permissions: { type: 'string', multiple: true }, connection: { type: 'string' } },
    async run(services, ctx, v, words) {
      const chosen = list(v.permissions);
      const { token, view } = await services.scimTokens.create(ctx, words.join(' '), v.permissions === undefined ? undefined : chosen, { connectionName: s(v.connection) });
      return `Created SCIM token "${view.name}" (id ${view.id}) for the connection "${view.connection}" with permissions ${view.permissions.join(', ')}.\nThe token is shown only now; enter it as the directory's secret token:\n${token}`;
    },
  },

  'scim-tokens rotate': {
    usage: 'ID',
    summary: 'Give a SCIM token a new secret (printed once), keeping its name, permissions and connection; the old secret stops at once.',
    options: {},
    async run(services, ctx, _v, [id]) {
      if (!id) throw new ValidationError({ id: 'Name the token by its id (see scim-tokens list).' });
      const { token, view } = await services.scimTokens.rotate(ctx, id);
      return `Rotated SCIM token "${view.name}" (new id ${view.id}, connection "${view.connection}"); the old secret no longer works.\nThe token is shown only now; enter it as the directory's secret token:\n${token}`;
    },
  },

  'scim-tokens list': {
    usage: '',
    summary: 'List SCIM tokens with their permissions, standing and last use.',
    options: {},
    async run(services, ctx) {
      const tokens = await services.scimTokens.list(ctx);
      const when = (d: Date | null) => (d ? d.toISOString() : 'never');
      const status = (t: (typeof tokens)[number]) =>
        t.revokedAt ? `revoked ${t.revokedAt.toISOString()}` : t.status === 'active' ? (t.needsReview ? 'live, review permissions' : 'live') : `${t.status}: ${t.statusReason}`;
      return table([
        ['ID', 'NAME', 'STARTS WITH', 'CREATED', 'LAST USED', 'STATUS', 'PERMISSIONS', 'CONNECTION'],
        ...tokens.map((t) => [t.id, t.name, `${t.hint}…`, t.createdAt.toISOString(), when(t.lastUsedAt), status(t), t.permissions.join(','), t.connection]),
      ]);
    },
  },

  'scim-tokens revoke': {
    usage: 'ID',
    summary: 'Revoke a SCIM token at once.',
    options: {},
    async run(services, ctx, _v, [id]) {
      if (!id) throw new ValidationError({ id: 'Name the token by its id (see scim-tokens list).' });
      const token = await services.scimTokens.revoke(ctx, id);
      return `Revoked SCIM token "${token.name}" (${token.id}).`;
    },
  },

  // OIDC clients and signing keys until the admin pages for them exist.
  'clients add': {
    usage: '--name NAME --type web|public|machine --redirect-uri URI... [--post-logout-uri URI...] [--first-party] [--backchannel-logout-uri URI] [--alg RS256|ES256|EdDSA (default RS256)]',
    summary: 'Register an application; its secret (web and machine clients) is printed once.',
    options: {
      name: { type: 'string' }, type: { type: 'string' }, 'redirect-uri': { type: 'string', multiple: true }, 'post-logout-uri': { type: 'string', multiple: true },
      'first-party': { type: 'boolean' }, 'backchannel-logout-uri': { type: 'string' }, alg: { type: 'string' },
    },
    async run(services, ctx, v) {
      const type = s(v.type) ?? '';
      if (!(CLIENT_TYPES as readonly string[]).includes(type)) throw new ValidationError({ type: `Type must be one of ${CLIENT_TYPES.join(', ')}.` });
      const { client, clientSecret } = await services.clients.add(ctx, {
        name: s(v.name) ?? '',
        type: type as ClientType,
        redirectUris: list(v['redirect-uri']),
        postLogoutRedirectUris: list(v['post-logout-uri']),
        firstParty: v['first-party'] === true,
        backchannelLogoutUri: s(v['backchannel-logout-uri']) ?? null,
        idTokenSigningAlg: (s(v.alg) as SigningAlg | undefined) ?? DEFAULT_SIGNING_ALG,
      });
      return [
        `Registered client "${client.name}" (${client.type}${client.firstParty ? ', first-party' : ''}).`,
        `client_id:     ${client.clientId}`,
        clientSecret
          ? `client_secret: ${clientSecret}\nThe secret is shown only now; Gatehouse keeps only its hash.`
          : 'client_secret: none (a public client signs in with PKCE and no secret)',
      ].join('\n');
    },
  },

  'clients list': {
    usage: '',
    summary: 'List registered applications.',
    options: {},
    async run(services) {
      const clients = await services.clients.list();
      return table([
        ['CLIENT_ID', 'NAME', 'TYPE', 'FIRST-PARTY', 'ALG', 'REDIRECT URIS'],
        ...clients.map((c) => [c.clientId, c.name, c.type, c.firstParty ? 'yes' : '', c.idTokenSigningAlg, c.redirectUris.join(',')]),
      ]);
    },
  },

  'clients remove': {
    usage: 'CLIENT_ID',
    summary: 'Remove an application; its tokens stop working.',
    options: {},
    async run(services, ctx, _v, [clientId]) {
      if (!clientId) throw new ValidationError({ clientId: 'Name the client by its client_id (see clients list).' });
      const client = await services.clients.get(clientId);
      await services.clients.remove(ctx, clientId);
      return `Removed client "${client.name}" (${clientId}).`;
    },
  },

  'keys rotate': {
    usage: '',
    summary: 'New signing keys for every algorithm; the old public keys stay published 24 h.',
    options: {},
    async run(services, ctx) {
      const keyStore = new KeyStore(defineOidcModels(services.db.sequelize), await services.secrets(), services.clock);
      const { retired, added } = await keyStore.rotate();
      await services.audit.record(ctx, 'oidc.keys_rotated', { retired, added });
      const hours = RETIRED_KEY_PUBLISH_MS / 3_600_000;
      return [
        `Retired: ${retired.length ? retired.join(', ') : '(none)'}`,
        `Added:   ${added.join(', ')}`,
        `Running Gatehouse processes load keys at start: restart them to sign with the new keys. The retired public keys stay published for ${hours} h, so tokens they signed keep validating.`,
      ].join('\n');
    },
  },

  // LDAP sync and CSV import. Progress goes to stderr; the report to stdout.
  'directory sync': {
    usage: '',
    summary: 'Run the LDAP sync now (one runner at a time across processes) and print its report.',
    options: {},
    async run(services, ctx) {
      const bar = new ProgressBar();
      const run = await services.directory.ldapSync.run(ctx, {
        trigger: 'cli',
        onProgress: (p) => (p.phase === 'counting' ? bar.update('Counting entries', 0, 0) : bar.update(p.phase === 'deactivating' ? 'Deactivating' : 'Syncing', p.processed, p.total, `created ${p.counters.created} updated ${p.counters.updated} blocked ${p.counters.blocked} failed ${p.counters.failed}`)),
      });
      bar.done();
      const report = await formatRun(services, run);
      if (run.status !== 'completed') throw new DirectoryError(report);
      return report;
    },
  },

  'users import': {
    usage: 'FILE.csv',
    summary: 'Import accounts from a CSV file (columns as the template on /admin/directory/import); re-importing updates.',
    options: {},
    async run(services, ctx, _v, [file]) {
      if (!file) throw new ValidationError({ file: 'Name the CSV file to import.' });
      if (!fs.existsSync(file)) throw new ValidationError({ file: `No file at ${file}.` });
      const bar = new ProgressBar();
      const run = await services.directory.csvImport.importFile({ ...ctx, source: 'csv' }, path.basename(file), () => fs.createReadStream(file), {
        onProgress: (p) => (p.phase === 'checking' ? bar.update('Checking rows', p.processed, 0) : bar.update('Importing', p.processed, p.total, `created ${p.counters.created} updated ${p.counters.updated} blocked ${p.counters.blocked} invalid ${p.counters.invalid}`)),
      });
      bar.done();
      const report = await formatRun(services, run);
      if (run.status !== 'completed') throw new DirectoryError(report);
      return report;
    },
  },
  ...BACKUP_COMMANDS,
  ...WEBHOOK_COMMANDS,
};

export const HELP = `Gatehouse command line

Usage: npm run cli -- <command> [options]

${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${(name + ' ' + c.usage).trim()}\n      ${c.summary}`)
  .join('\n')}

Configuration comes from the environment (see README.md), e.g. DATABASE_URL.
`;
