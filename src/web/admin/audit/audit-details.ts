// An audit event's details as lines a person reads ("invitation expiry hours: 168 → 72",
// "reason: left") instead of raw JSON. The CSV export keeps the exact JSON.

/** "reassignedTo" -> "reassigned to" */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase();
}

function isChange(value: unknown): value is { from: unknown; to: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'from' in value && 'to' in value;
}

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(none)';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (Array.isArray(value)) return value.length ? value.map(shown).join(', ') : '(none)';
  if (isChange(value)) return `${shown(value.from)} → ${shown(value.to)}`;
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${words(k)} ${shown(v)}`).join('; ');
  return String(value);
}

export function detailLines(details: Record<string, unknown>): string[] {
  const rest = { ...details };
  const lines: string[] = [];
  // A change of one thing: { key?, from, to } reads "key: from → to".
  if ('from' in rest && 'to' in rest) {
    lines.push(`${typeof rest.key === 'string' ? words(rest.key) : 'changed'}: ${shown(rest.from)} → ${shown(rest.to)}`);
    delete rest.from;
    delete rest.to;
    delete rest.key;
  }
  for (const [key, value] of Object.entries(rest)) {
    // Several changes at once: { changes: { email: { from, to }, … } } gives a line each.
    const nested = typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
    if (nested.length && nested.every(([, v]) => isChange(v))) for (const [field, change] of nested) lines.push(`${words(field)}: ${shown(change)}`);
    else lines.push(`${words(key)}: ${shown(value)}`);
  }
  return lines;
}
