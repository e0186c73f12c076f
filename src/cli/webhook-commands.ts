// webhooks add|list|rotate|remove: an application's lifecycle webhooks from the command line,
// through the same service as the Applications pages (URL guard, event catalogue, audit).
import { ValidationError } from '../errors.js';
import { WEBHOOK_EVENTS } from '../webhooks/webhook-events.js';
import type { Command } from './command.js';

const s = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (v: unknown) => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((x: string) => x.split(',')).map((x) => x.trim()).filter(Boolean);

function need(value: string | undefined, field: string, message: string): string {
  if (!value) throw new ValidationError({ [field]: message });
  return value;
}

export const WEBHOOK_COMMANDS: Record<string, Command> = {
  'webhooks add': {
    usage: `CLIENT_ID --url https://… --events ${WEBHOOK_EVENTS.slice(0, 2).join(',')},…`,
    summary: `Register a webhook on an application; its signing secret is printed once. Events: ${WEBHOOK_EVENTS.join(', ')}.`,
    options: { url: { type: 'string' }, events: { type: 'string', multiple: true } },
    async run(services, ctx, v, [clientId]) {
      const id = need(clientId, 'clientId', 'Name the application by its client_id (see clients list).');
      const { webhook, secret } = await services.webhooks.service.add(ctx, id, { url: s(v.url) ?? '', events: list(v.events) });
      return [`Registered webhook ${webhook.id} → ${webhook.url} (${webhook.events.join(', ')}).`, `secret: ${secret}`, 'The secret is shown only now.'].join('\n');
    },
  },
  'webhooks list': {
    usage: 'CLIENT_ID',
    summary: "List an application's webhooks.",
    options: {},
    async run(services, _ctx, _v, [clientId]) {
      const hooks = await services.webhooks.service.listFor(need(clientId, 'clientId', 'Name the application by its client_id (see clients list).'));
      if (hooks.length === 0) return 'No webhooks.';
      return hooks.map((w) => `${w.id}  ${w.enabled ? 'enabled ' : 'disabled'}  ${w.url}  ${w.events.join(',')}`).join('\n');
    },
  },
  'webhooks rotate': {
    usage: 'WEBHOOK_ID',
    summary: 'A new signing secret, printed once; the old one keeps signing beside it for 24 h.',
    options: {},
    async run(services, ctx, _v, [id]) {
      const { webhook, secret } = await services.webhooks.service.rotateSecret(ctx, need(id, 'id', 'Name the webhook by its id (see webhooks list).'));
      return [`secret: ${secret}`, `The old secret signs too until ${webhook.previousSecretExpiresAt!.toISOString()}.`].join('\n');
    },
  },
  'webhooks remove': {
    usage: 'WEBHOOK_ID',
    summary: 'Remove a webhook and its delivery record.',
    options: {},
    async run(services, ctx, _v, [id]) {
      const webhook = await services.webhooks.service.get(need(id, 'id', 'Name the webhook by its id (see webhooks list).'));
      await services.webhooks.service.remove(ctx, webhook.id);
      return `Removed webhook ${webhook.id} (${webhook.url}).`;
    },
  },
};
