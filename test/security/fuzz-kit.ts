// Deterministic hostile input for the fuzz suite: a seeded PRNG (mulberry32) and
// generators of the values, keys, filters and form fields that break parsers and mappers —
// prototype names, control characters, overlong strings, wrong types, deep nesting.
// The same seed always yields the same cases, so a failure names a case that replays.

/** mulberry32: a tiny, well-mixed 32-bit PRNG. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'isPrototypeOf'];
const CONTROL = [...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)), ...Array.from({ length: 33 }, (_, i) => String.fromCharCode(0x7f + i))];
const ODD = ['\u200b', '\u202e', '\u2028', '\u2029', '\ufeff', '\ufffd', '\ud83d\ude00', '\ud800', 'e\u0301', 'İ', 'ß', 'ﬃ', '％', '＠'];
const META = ['"', "'", '\\', '%', '_', '*', '(', ')', '[', ']', '{', '}', '/', '?', '#', '&', '=', ';', ',', ':', '.', '@', '<', '>', '`', '$', '!', ' '];
const WORDS = ['alice', 'work', 'true', 'False', 'null', 'undefined', 'NaN', '0', '-1', '1e999', 'user', 'requester', 'admin', 'owner', 'eq', 'pr', 'and', 'or', 'not', "' OR 1=1 --", '%00', '../', 'urn:ietf:params:scim:schemas:core:2.0:User', 'bulkId:x', '2030-01-01T00:00:00Z', 'en-GB', '+44 20 7946 0958'];

export class Fuzz {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.int(list.length)]!;
  }

  control(): string {
    return this.pick(CONTROL);
  }

  /** A hostile string: control characters, overlong, odd Unicode, syntax characters, prototype names. */
  string(): string {
    switch (this.int(10)) {
      case 0:
        return this.pick(WORDS) + this.control() + this.pick(WORDS);
      case 1:
        return this.pick(['x', 'é', '\u0085', '@', ' ', '\ud83d\ude00', 'a.b@c.de,']).repeat(this.pick([256, 321, 1000, 10_000]));
      case 2:
        return this.pick(PROTOTYPE_NAMES);
      case 3:
        return Array.from({ length: 1 + this.int(12) }, () => this.pick(ODD)).join('');
      case 4:
        return Array.from({ length: 1 + this.int(16) }, () => this.pick(META)).join('');
      case 5:
        return this.pick(['', ' ', '\t', '\n', '   x   ', '\r\n']);
      case 6:
        return `fz${this.int(1e6)}${this.control()}@example.com`;
      case 7:
        return `fz${this.int(1e6)}@example.com`;
      case 8:
        return this.pick(WORDS);
      default:
        return Array.from({ length: 1 + this.int(40) }, () => String.fromCharCode(this.int(0x3000))).join('');
    }
  }

  /** A value of any JSON type where a string is usually expected. */
  value(depth = 0): unknown {
    switch (this.int(depth > 2 ? 7 : 10)) {
      case 0:
      case 1:
      case 2:
      case 3:
        return this.string();
      case 4:
        return this.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 1, 42]);
      case 5:
        return this.chance(0.5);
      case 6:
        return null;
      case 7:
        return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
      case 8:
        return this.object(depth + 1);
      default:
        return this.nested(this.pick([8, 11, 13, 40, 500]));
    }
  }

  object(depth = 0): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let i = this.int(4); i > 0; i--) Object.defineProperty(out, this.key(), { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
    return out;
  }

  /** Nested arrays and objects `levels` deep around a string. */
  nested(levels: number): unknown {
    let v: unknown = this.string().slice(0, 20);
    for (let i = 0; i < levels; i++) v = i % 2 ? [v] : { value: v };
    return v;
  }

  key(known: readonly string[] = []): string {
    const r = this.int(10);
    if (r < 3) return this.pick(PROTOTYPE_NAMES);
    if (r < 7 && known.length) return this.randomCase(this.pick(known));
    if (r < 8) return this.string().slice(0, 200);
    return this.pick(['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User', 'urn:ietf:params:scim:schemas:core:2.0:User:title', 'urn:x:y', 'members', 'emails', 'value', 'primary', 'type', '$ref', 'display', 'id', 'meta']);
  }

  randomCase(s: string): string {
    return [...s].map((c) => (this.chance(0.3) ? (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) : c)).join('');
  }

  /** Sets `count` random keys of `target` (known names or hostile ones) to hostile values. */
  mutate(target: Record<string, unknown>, known: readonly string[], count = 1 + this.int(3)): Record<string, unknown> {
    for (let i = 0; i < count; i++) Object.defineProperty(target, this.key(known), { value: this.value(), enumerable: true, writable: true, configurable: true });
    return target;
  }

  /** A SCIM filter from real and hostile tokens: about half well-formed, the rest not. */
  filter(attributes: readonly string[]): string {
    const ops = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'EQ', 'Co'];
    // Filter strings are JSON strings (RFC 7644 §3.4.2.2): hostile content, correctly escaped.
    const literal = () =>
      this.chance(0.65) ? JSON.stringify(this.string().slice(0, 300)) : this.pick(['true', 'false', 'null', '42', '-1.5e3', '"2030-01-01T00:00:00Z"', '"x"', `"${this.string().slice(0, 50)}`, this.string().slice(0, 50)]);
    const attr = () => (this.chance(0.8) ? this.randomCase(this.pick(attributes)) : this.key(attributes).slice(0, 100));
    const valueFilter = () => `${this.pick(['emails', 'phoneNumbers', 'groups', 'members', 'name', 'title'])}[${this.pick(['value', 'type', 'primary', 'display', 'constructor'])} ${this.pick(ops)} ${literal()}]`;
    const comparison = (depth = 0): string => {
      const r = this.int(depth > 3 ? 4 : 7);
      if (r === 0) return `${attr()} pr`;
      if (r === 1) return valueFilter();
      if (r === 4) return `(${comparison(depth + 1)} ${this.pick(['and', 'or'])} ${comparison(depth + 1)})`;
      if (r === 5) return `not (${comparison(depth + 1)})`;
      if (r === 6) return `${attr()}[${comparison(depth + 1)}]`;
      return `${attr()} ${this.pick(ops)} ${literal()}`;
    };
    const r = this.int(10);
    if (r === 0) return '('.repeat(this.pick([10, 200, 2000])) + 'userName eq "x"' + ')'.repeat(this.pick([0, 10, 200, 2000]));
    if (r === 1) return Array.from({ length: 2 + this.int(30) }, () => this.pick([...ops, 'pr', 'and', 'or', 'not', '(', ')', '[', ']', '"', attr(), literal()])).join(this.pick([' ', '', '  ']));
    if (r === 2) return Array.from({ length: this.pick([50, 300]) }, () => comparison()).join(this.pick([' and ', ' or ']));
    return Array.from({ length: 1 + this.int(3) }, () => comparison()).join(this.pick([' and ', ' or ', ' AND ']));
  }

  /** url-encoded form fields: known names with hostile values, hostile names, repeated names (arrays). */
  form(known: readonly string[], base: Array<[string, string]>): string {
    const fields = [...base];
    for (let i = 1 + this.int(4); i > 0; i--) {
      const name = this.chance(0.7) ? this.pick(known) : this.pick([...PROTOTYPE_NAMES, 'a[b]', 'roles[]', '_csrf', this.string().slice(0, 50)]);
      const value = this.formValue();
      if (this.chance(0.2)) fields.push([name, value]);
      else {
        const at = fields.findIndex(([k]) => k === name);
        if (at >= 0 && name !== '_csrf') fields[at] = [name, value];
        else fields.push([name, value]);
      }
    }
    const params = new URLSearchParams();
    for (const [k, v] of fields) params.append(k, v);
    return params.toString();
  }

  private formValue(): string {
    const s = this.string();
    // The pages' body limit is 100 kB; a 10,000-character value fits.
    return s.length > 10_000 ? s.slice(0, 10_000) : s;
  }
}
