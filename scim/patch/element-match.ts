// Evaluates a value filter (the part in [ ]) against one value of a multi-valued attribute
// in memory, for PATCH paths such as 'emails[type eq "work"].value'. These are the few
// values of one resource; list filters run in the database (filter-to-sql.ts).
import { invalidPath } from '../errors.js';
import type { CompValue, FilterNode } from '../filter/filter-ast.js';

type Element = Record<string, unknown>;

function field(el: Element, name: string): unknown {
  const key = Object.keys(el).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : el[key];
}

function comparable(v: unknown, caseExact: boolean): unknown {
  if (typeof v === 'string') return caseExact ? v : v.toLowerCase();
  return v;
}

function compare(actual: unknown, op: string, expected: CompValue, caseExact: boolean): boolean {
  if (typeof actual === 'boolean' && typeof expected === 'string' && /^(true|false)$/i.test(expected)) expected = expected.toLowerCase() === 'true';
  const a = comparable(actual, caseExact);
  const e = comparable(expected, caseExact);
  switch (op) {
    case 'eq': return a === e;
    case 'ne': return a !== e;
    case 'co': return typeof a === 'string' && typeof e === 'string' && a.includes(e);
    case 'sw': return typeof a === 'string' && typeof e === 'string' && a.startsWith(e);
    case 'ew': return typeof a === 'string' && typeof e === 'string' && a.endsWith(e);
    case 'gt': return a !== undefined && a !== null && typeof a === typeof e && (a as string) > (e as string);
    case 'ge': return a !== undefined && a !== null && typeof a === typeof e && (a as string) >= (e as string);
    case 'lt': return a !== undefined && a !== null && typeof a === typeof e && (a as string) < (e as string);
    case 'le': return a !== undefined && a !== null && typeof a === typeof e && (a as string) <= (e as string);
    default: return false;
  }
}

/** `caseExactSubs`: sub-attributes compared exactly (ids); the rest ignore case (RFC 7643). */
export function matchesElement(filter: FilterNode, el: Element, caseExactSubs: ReadonlySet<string> = new Set()): boolean {
  switch (filter.type) {
    case 'and': return matchesElement(filter.left, el, caseExactSubs) && matchesElement(filter.right, el, caseExactSubs);
    case 'or': return matchesElement(filter.left, el, caseExactSubs) || matchesElement(filter.right, el, caseExactSubs);
    case 'not': return !matchesElement(filter.filter, el, caseExactSubs);
    case 'present': {
      const v = field(el, filter.path.attr);
      return v !== undefined && v !== null && v !== '';
    }
    case 'compare':
      return compare(field(el, filter.path.attr), filter.op, filter.value, caseExactSubs.has(filter.path.attr.toLowerCase()));
    case 'valuePath':
      throw invalidPath('Value filters cannot be nested.');
  }
}

/** The values a filter's "eq" tests pin down, to create the value a PATCH path names. */
export function equalities(filter: FilterNode): Element {
  if (filter.type === 'compare' && filter.op === 'eq') return { [filter.path.attr]: filter.value };
  if (filter.type === 'and') return { ...equalities(filter.left), ...equalities(filter.right) };
  return {};
}
