// U+0000 is never part of anything a person types or a directory sends, and it ends a
// string in SQLite's SQL text (Sequelize writes values into the statement there, so a
// NUL inside an id or a name breaks the statement instead of matching nothing). Every edge
// (pages, SCIM) refuses a request that carries one, before any of it reaches a service.

export const NUL_MESSAGE = 'The request contains a NUL character (U+0000), which no field accepts.';

/** Whether a URL (raw, percent-encoded) names a NUL character. */
export function urlHasNul(url: string): boolean {
  return /%00|\u0000/i.test(url);
}

/** Whether any string or key in a parsed body (walked without recursion) holds a NUL. */
export function hasNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (Array.isArray(v)) stack.push(...v);
    else if (v && typeof v === 'object') for (const [key, item] of Object.entries(v)) stack.push(key, item);
  }
  return false;
}
