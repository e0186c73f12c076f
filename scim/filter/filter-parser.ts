// A recursive-descent parser for SCIM filters (RFC 7644 §3.4.2.2, its ABNF and precedence:
// "not" and parentheses, then "and", then "or"), with the value-path extension some clients
// use in filters, `emails[type eq "work"].value eq "x"` (= `emails[type eq "work" and value eq "x"]`).
//
// scimmy's Types.Filter parse was checked against the filter table in
// test/scim/filter-parser.test.ts and is not used: it rewrites `not (A or B)` as `not A or
// not B` and `not (A and B)` as `not A and not B` (wrong by De Morgan), rejects nested
// parentheses such as `((userName eq "a"))` and escaped quotes such as `"a\"b"`, accepts
// `userName eq` (no value) and a dangling `and`, and merges `emails.value co "x" and
// emails.type eq "work"` into one value-path test, which may match a different set.
import { invalidFilter } from '../errors.js';
import { LIMITS } from '../urns.js';
import { COMPARE_OPS, type AttrPath, type CompareOp, type CompValue, type FilterNode } from './filter-ast.js';

type TokenKind = '(' | ')' | '[' | ']' | 'word' | 'string' | 'number' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  value?: CompValue;
  at: number;
}

const MAX_DEPTH = 50;
const ATTRNAME = /^\$?[A-Za-z][\w-]*$/;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if ('()[]'.includes(c)) {
      tokens.push({ kind: c as TokenKind, text: c, at: i });
      i++;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < input.length && input[j] !== '"') j += input[j] === '\\' ? 2 : 1;
      if (j >= input.length) throw invalidFilter(`Unterminated string starting at position ${i + 1}.`);
      const raw = input.slice(i, j + 1);
      let value: string;
      try {
        value = JSON.parse(raw) as string;
      } catch {
        throw invalidFilter(`Invalid string ${raw} at position ${i + 1}.`);
      }
      // An escaped \u0000 decodes to NUL only here, after the edge's NUL check (src/nul-character.ts).
      if (value.includes('\u0000')) throw invalidFilter(`The string at position ${i + 1} contains a NUL character (U+0000), which no attribute holds.`);
      tokens.push({ kind: 'string', text: raw, value, at: i });
      i = j + 1;
      continue;
    }
    const number = /^-?\d+(\.\d+)?([eE][-+]?\d+)?(?![\w.])/.exec(input.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], value: Number(number[0]), at: i });
      i += number[0].length;
      continue;
    }
    const word = /^[A-Za-z$_.][\w$.:-]*/.exec(input.slice(i));
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    throw invalidFilter(`Unexpected character "${c}" at position ${i + 1}.`);
  }
  tokens.push({ kind: 'end', text: '', at: input.length });
  return tokens;
}

/** Parses an attribute path; `relative` paths (inside [...]) carry no URN. */
export function parseAttrPath(text: string, relative = false): AttrPath {
  let uri: string | null = null;
  let rest = text;
  if (/^urn:/i.test(text)) {
    if (relative) throw invalidFilter(`"${text}": a schema URN is not allowed inside [ ].`);
    const cut = text.lastIndexOf(':');
    uri = text.slice(0, cut);
    rest = text.slice(cut + 1);
  }
  const parts = rest.split('.');
  if (parts.length > 2 || !parts.every((p) => ATTRNAME.test(p))) throw invalidFilter(`"${text}" is not an attribute path.`);
  return { uri, attr: parts[0]!, sub: parts[1] ?? null };
}

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos]!;
  }
  private next(): Token {
    return this.tokens[this.pos++]!;
  }
  private isWord(t: Token, ...words: string[]): boolean {
    return t.kind === 'word' && words.includes(t.text.toLowerCase());
  }
  private expect(kind: TokenKind, what: string): Token {
    const t = this.next();
    if (t.kind !== kind) throw invalidFilter(`Expected ${what} at position ${t.at + 1}${t.text ? `, found "${t.text}"` : ''}.`);
    return t;
  }

  parseAll(relative: boolean): FilterNode {
    const node = this.parseOr(relative);
    const t = this.peek();
    if (t.kind !== 'end') throw invalidFilter(`Unexpected "${t.text}" at position ${t.at + 1}.`);
    return node;
  }

  private parseOr(relative: boolean): FilterNode {
    let left = this.parseAnd(relative);
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      left = { type: 'or', left, right: this.parseAnd(relative) };
    }
    return left;
  }

  private parseAnd(relative: boolean): FilterNode {
    let left = this.parseUnary(relative);
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      left = { type: 'and', left, right: this.parseUnary(relative) };
    }
    return left;
  }

  private parseUnary(relative: boolean): FilterNode {
    if (++this.depth > MAX_DEPTH) throw invalidFilter('The filter is nested too deeply.');
    try {
      const t = this.peek();
      if (this.isWord(t, 'not')) {
        this.next();
        this.expect('(', '"(" after "not"');
        const inner = this.parseOr(relative);
        this.expect(')', '")"');
        return { type: 'not', filter: inner };
      }
      if (t.kind === '(') {
        this.next();
        const inner = this.parseOr(relative);
        this.expect(')', '")"');
        return inner;
      }
      return this.parseAttrExp(relative);
    } finally {
      this.depth--;
    }
  }

  private parseAttrExp(relative: boolean): FilterNode {
    const t = this.expect('word', 'an attribute name');
    if (this.isWord(t, 'and', 'or', 'not', 'pr', ...COMPARE_OPS)) throw invalidFilter(`Expected an attribute name at position ${t.at + 1}, found "${t.text}".`);
    const path = parseAttrPath(t.text, relative);
    if (this.peek().kind === '[') {
      if (relative) throw invalidFilter(`"${t.text}[": value filters cannot be nested.`);
      if (path.sub) throw invalidFilter(`"${t.text}[": a value filter follows a multi-valued attribute, not a sub-attribute.`);
      this.next();
      const inner = this.parseOr(true);
      this.expect(']', '"]"');
      const after = this.peek();
      // Extension: attr[filter].sub op value (and attr[filter].sub pr).
      if (after.kind === 'word' && after.text.startsWith('.')) {
        this.next();
        const sub = parseAttrPath(after.text.slice(1), true);
        if (sub.sub) throw invalidFilter(`"${after.text}" is not a sub-attribute.`);
        const test = this.parseTest(sub);
        return { type: 'valuePath', path, filter: { type: 'and', left: inner, right: test } };
      }
      return { type: 'valuePath', path, filter: inner };
    }
    return this.parseTest(path);
  }

  private parseTest(path: AttrPath): FilterNode {
    const op = this.next();
    if (this.isWord(op, 'pr')) return { type: 'present', path };
    if (!this.isWord(op, ...COMPARE_OPS)) throw invalidFilter(`Expected an operator (${COMPARE_OPS.join(', ')}, pr) at position ${op.at + 1}${op.text ? `, found "${op.text}"` : ''}.`);
    const v = this.next();
    let value: CompValue;
    if (v.kind === 'string' || v.kind === 'number') value = v.value!;
    else if (this.isWord(v, 'true')) value = true;
    else if (this.isWord(v, 'false')) value = false;
    else if (this.isWord(v, 'null')) value = null;
    else throw invalidFilter(`Expected a value (a "string", number, true, false or null) at position ${v.at + 1}${v.text ? `, found "${v.text}"` : ''}.`);
    return { type: 'compare', path, op: op.text.toLowerCase() as CompareOp, value };
  }
}

export function parseFilter(input: unknown): FilterNode {
  if (typeof input !== 'string' || input.trim() === '') throw invalidFilter('The filter must be a non-empty string.');
  if (input.length > LIMITS.maxFilterLength) throw invalidFilter(`The filter is longer than ${LIMITS.maxFilterLength} characters.`);
  return new Parser(tokenize(input)).parseAll(false);
}

/** A value filter alone (the text between [ and ] of a PATCH path), paths relative. */
export function parseValueFilter(input: string): FilterNode {
  if (input.length > LIMITS.maxFilterLength) throw invalidFilter(`The filter is longer than ${LIMITS.maxFilterLength} characters.`);
  return new Parser(tokenize(input)).parseAll(true);
}
