// One CSV row as account input, checked by the same rules as the admin form (through
// profileColumns) with directory usernames and phones (CSV is a directory
// path), plus the kind, the roles named in the file and the status. Problems are collected
// per field for the preview; a row with problems is never imported.
import type { Actor } from '../context.js';
import { ValidationError, type FieldErrors } from '../errors.js';
import { can } from '../roles/authorize.js';
import type { RoleView } from '../roles/role-service.js';
import { profileColumns, type ProfileInput } from '../users/user-input.js';
import { normalize } from '../users/user-validation.js';
import type { CsvRow } from './csv-reader.js';
import type { CsvColumn } from './csv-template.js';
import { parseZonedDateTime } from '../zoned-time.js';

export interface PreparedRow {
  line: number;
  /** How the report names the row. */
  label: string;
  input: ProfileInput;
  emailKey: string | null;
  externalIdKey: string | null;
  /** The normalised username, only for a row with neither email nor external id: then the one key that finds its account again. */
  usernameKey: string | null;
  /** Roles to hold exactly (the owner's role stays); null leaves roles alone. */
  roleIds: string[] | null;
  /** null leaves the status alone (new accounts: active). */
  status: 'active' | 'inactive' | null;
  /** The access end date: a date, null (an empty cell) clears it, undefined (no column) leaves it. */
  accessEndsAt?: Date | null;
  problems: FieldErrors;
}

const PROFILE_COLUMNS: ReadonlyArray<CsvColumn & keyof ProfileInput> = [
  'username', 'email', 'givenName', 'familyName', 'displayName', 'phone', 'department', 'title', 'employeeNumber', 'manager', 'gender', 'birthdate', 'locale', 'externalId', 'kind',
];
/** An empty cell leaves these as they are (an account cannot be without them); it clears the others. */
const KEEP_WHEN_EMPTY = new Set<CsvColumn>(['username', 'email', 'kind']);
const ACTIVE = new Set(['active', 'true', 'yes', '1', 'enabled']);
const INACTIVE = new Set(['inactive', 'false', 'no', '0', 'disabled', 'deactivated']);

export class RowPreparer {
  private readonly rolesByName: Map<string, RoleView>;

  constructor(
    roles: readonly RoleView[],
    private readonly actor: Actor,
    private readonly today: Date,
    /** End dates without an offset are read in the organization's time zone. */
    private readonly timeZone = 'UTC',
  ) {
    this.rolesByName = new Map(roles.map((r) => [r.name.trim().toLowerCase(), r]));
  }

  /**
   * Keys that find the row's account: external id first, then email; a row with neither
   * (directory accounts may have no email) by its username, so importing the same file
   * again updates the accounts it created instead of failing on their taken usernames.
   */
  keys(row: CsvRow): { emailKey: string | null; externalIdKey: string | null; usernameKey: string | null } {
    const email = row.values.email?.trim();
    const externalId = row.values.externalId?.trim();
    const username = row.values.username?.trim();
    return { emailKey: email ? normalize(email) : null, externalIdKey: externalId ? normalize(externalId) : null, usernameKey: !email && !externalId && username ? normalize(username) : null };
  }

  prepare(row: CsvRow, isNew: boolean): PreparedRow {
    const problems: FieldErrors = {};
    const input: ProfileInput = {};
    for (const column of PROFILE_COLUMNS) {
      const raw = row.values[column];
      if (raw === undefined) continue;
      const value = raw.trim();
      if (value === '' && KEEP_WHEN_EMPTY.has(column)) continue;
      input[column] = value === '' ? null : value;
    }
    try {
      profileColumns(input, 'directory', this.today, isNew ? 'new-from-directory' : 'change');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      Object.assign(problems, err.fields);
    }
    const roleIds = this.roles(row.values.roles, problems);
    const status = this.status(row.values.status, problems);
    const accessEndsAt = this.accessEnd(row.values.accessEndsAt, problems);
    if (row.extraValues) problems.row = 'The row has more values than the header has columns.';
    return { line: row.line, label: input.email || input.username || `line ${row.line}`, input, ...this.keys(row), roleIds, status, accessEndsAt, problems };
  }

  /** Whether the date is in the future is the write's to say (an unchanged past date is no change). */
  private accessEnd(cell: string | undefined, problems: FieldErrors): Date | null | undefined {
    if (cell === undefined) return undefined;
    const value = cell.trim();
    if (!value) return null;
    const at = parseZonedDateTime(value, this.timeZone);
    if (!at) problems.accessEndsAt = `"${value.slice(0, 40)}" is not a date and time such as 2030-12-31 17:00 (${this.timeZone}).`;
    return at;
  }

  private roles(cell: string | undefined, problems: FieldErrors): string[] | null {
    const names = (cell ?? '').split(/[;|,]/).map((n) => n.trim()).filter(Boolean);
    if (names.length === 0) return null;
    const ids: string[] = [];
    for (const name of names) {
      const role = this.rolesByName.get(name.toLowerCase());
      if (!role) problems.roles = `No role named "${name.slice(0, 100)}".`;
      else if (role.builtin === 'owner') problems.roles = 'The owner role is only given by transferring ownership.';
      else if (role.permissions.some((p) => !can(this.actor, p))) problems.roles = `You cannot give the role ${role.name}: it carries permissions you do not hold.`;
      else ids.push(role.id);
    }
    return [...new Set(ids)];
  }

  private status(cell: string | undefined, problems: FieldErrors): 'active' | 'inactive' | null {
    const value = (cell ?? '').trim().toLowerCase();
    if (!value) return null;
    if (ACTIVE.has(value)) return 'active';
    if (INACTIVE.has(value)) return 'inactive';
    problems.status = 'Status must be active or inactive (or empty to leave it as it is).';
    return null;
  }
}

export function problemText(problems: FieldErrors): string {
  return Object.values(problems).join(' ');
}
