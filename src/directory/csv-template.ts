// The accounts CSV: its columns, the template admins download, and
// reading the header line (names in any order and case; a few common spellings accepted).
import { DomainError } from '../errors.js';

export type CsvColumn =
  | 'username' | 'email' | 'givenName' | 'familyName' | 'displayName' | 'phone' | 'department' | 'title'
  | 'employeeNumber' | 'manager' | 'gender' | 'birthdate' | 'locale' | 'externalId' | 'kind' | 'roles' | 'status' | 'accessEndsAt';

/** The template's header, in the order of the add-user form. */
export const TEMPLATE_COLUMNS: ReadonlyArray<[CsvColumn, string]> = [
  ['username', 'username'],
  ['email', 'email'],
  ['givenName', 'first name'],
  ['familyName', 'last name'],
  ['displayName', 'display name'],
  ['phone', 'phone'],
  ['department', 'department'],
  ['title', 'title'],
  ['employeeNumber', 'employee number'],
  ['manager', 'manager'],
  ['gender', 'gender'],
  ['birthdate', 'birthdate'],
  ['locale', 'locale'],
  ['externalId', 'external id'],
  ['kind', 'kind'],
  ['roles', 'roles'],
  ['status', 'status'],
  ['accessEndsAt', 'access ends'],
];

const ALIASES: Record<string, CsvColumn> = {
  username: 'username', login: 'username', upn: 'username', userprincipalname: 'username',
  email: 'email', emailaddress: 'email', mail: 'email',
  firstname: 'givenName', givenname: 'givenName',
  lastname: 'familyName', familyname: 'familyName', surname: 'familyName',
  displayname: 'displayName', name: 'displayName', fullname: 'displayName',
  phone: 'phone', phonenumber: 'phone', mobile: 'phone', telephone: 'phone',
  department: 'department', organizationunit: 'department', organisationunit: 'department', orgunit: 'department',
  title: 'title', position: 'title', jobtitle: 'title',
  employeenumber: 'employeeNumber', employeeid: 'employeeNumber',
  manager: 'manager',
  gender: 'gender',
  birthdate: 'birthdate', birthday: 'birthdate', dateofbirth: 'birthdate',
  locale: 'locale', language: 'locale',
  externalid: 'externalId',
  kind: 'kind', usertype: 'kind', type: 'kind',
  roles: 'roles', role: 'roles',
  status: 'status', active: 'status',
  accessends: 'accessEndsAt', accessendsat: 'accessEndsAt', enddate: 'accessEndsAt', accessenddate: 'accessEndsAt',
};

/** A file that cannot be read as a whole: nothing is imported. */
export class InvalidImportFile extends DomainError {
  constructor(message: string) {
    super('invalid_csv', `${message} Nothing was imported.`, 400);
  }
}

export const HEADER_HINT = 'The first line must be a header naming the columns, such as username,email,first name,last name,kind,roles (download the template).';

export function csvTemplate(): string {
  const header = TEMPLATE_COLUMNS.map(([, name]) => name).join(',');
  const example = ['jdoe', 'jane.doe@example.com', 'Jane', 'Doe', '', '+44 20 7946 0958', 'Sales', 'Account manager', '', '', '', '', 'en-GB', 'HR-1042', 'user', 'Member', 'active'].join(',');
  return `${header}\r\n${example}\r\n`;
}

/** Reads the header cells into columns, or refuses the file with the reason. */
export function readHeader(cells: string[]): CsvColumn[] {
  const columns: CsvColumn[] = [];
  for (const cell of cells) {
    if (cell.includes('@')) throw new InvalidImportFile(`The first line looks like data, not a header. ${HEADER_HINT}`);
    const name = cell.toLowerCase().replace(/[^a-z]/g, '');
    // Own names only: a header cell such as "constructor" is an unknown column, not Object's.
    const column = Object.hasOwn(ALIASES, name) ? ALIASES[name] : undefined;
    if (!column) throw new InvalidImportFile(`Unknown column "${cell.slice(0, 60)}" in the header. ${HEADER_HINT}`);
    if (columns.includes(column)) throw new InvalidImportFile(`The column "${cell.slice(0, 60)}" appears twice in the header. ${HEADER_HINT}`);
    columns.push(column);
  }
  if (!columns.includes('email')) throw new InvalidImportFile(`The header has no "email" column. ${HEADER_HINT}`);
  return columns;
}
