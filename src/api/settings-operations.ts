// /settings: the organization's settings, read and changed through SettingsService as the
// Settings page does (settings.manage; every key validated by the page's rules, nothing
// stored if one is wrong; each changed key audited with its old and new value). The
// schema follows DEFAULT_SETTINGS, so a setting added there appears here.
import { authorize } from '../roles/authorize.js';
import { DEFAULT_SETTINGS, type Settings } from '../settings/settings-service.js';
import type { JsonSchema, Operation } from './operation.js';

function schemaOfValue(value: unknown): JsonSchema {
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (typeof value === 'number') return { type: 'number' };
  if (Array.isArray(value)) return { type: 'array', maxItems: 1000, items: { type: 'string', maxLength: 320 } };
  return { type: 'string', maxLength: 1000 };
}

const settingProperties: Record<string, JsonSchema> = Object.fromEntries(Object.entries(DEFAULT_SETTINGS).map(([k, v]) => [k, schemaOfValue(v)]));

export const settingsSchema: JsonSchema = { type: 'object', additionalProperties: false, required: Object.keys(DEFAULT_SETTINGS), properties: settingProperties };

/** The settings as they leave the API: exactly the documented keys. */
function presentSettings(s: Settings): Record<string, unknown> {
  return Object.fromEntries(Object.keys(DEFAULT_SETTINGS).map((k) => [k, s[k as keyof Settings]]));
}

export const settingsOperations: Operation[] = [
  {
    method: 'get', path: '/settings', operationId: 'getSettings', tag: 'Settings', scope: 'api:settings', summary: 'Read the organization\'s settings',
    responses: { 200: { description: 'Every setting', schema: settingsSchema } },
    async handler({ services, ctx }) {
      authorize(ctx.actor, 'settings.manage');
      return { status: 200, body: presentSettings(await services.settings.all()) };
    },
  },
  {
    method: 'patch', path: '/settings', operationId: 'updateSettings', tag: 'Settings', scope: 'api:settings',
    summary: 'Change settings', description: 'Keys left out stay as they are. Validated as on the Settings page; one wrong key stores nothing. Each changed key is audited.',
    body: { type: 'object', additionalProperties: false, minProperties: 1, properties: settingProperties },
    responses: { 200: { description: 'Every setting, as changed', schema: settingsSchema } },
    async current({ services, ctx }) {
      authorize(ctx.actor, 'settings.manage');
      return presentSettings(await services.settings.all());
    },
    async handler({ services, ctx, body }) {
      return { status: 200, body: presentSettings(await services.settings.update(ctx, body as Partial<Record<keyof Settings, unknown>>)) };
    },
  },
];
