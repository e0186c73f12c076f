// A person calling the management API through an application they allowed on the consent
// screen: they act as themselves (the dominance rule and every check see them), with what
// `personApiStanding` grants — never more than the person, and stopping with their account.
import type { Request } from 'express';
import type { Services } from '../services.js';
import type { ClientView } from '../clients/client-service.js';
import { personApiStanding } from '../clients/api-grant.js';
import { problem, type Problem } from './problem.js';
import { apiContext, type ApiCaller } from './api-caller.js';

export async function personCaller(services: Services, req: Request, client: ClientView, accountId: string, tokenScopes: string[]): Promise<ApiCaller | Problem> {
  const person = await services.models.User.findByPk(accountId);
  if (!person || person.status !== 'active') return problem('invalid_token', 401, 'The person this token was issued to is not an active account.');
  const { scopes, permissions } = await personApiStanding(services.roles, client.api!, accountId, tokenScopes);
  // Keyed by application and person: one person's idempotent answer (it may hold a generated password) must never replay to another.
  return { clientId: `${client.clientId}#${person.id}`, ctx: apiContext(req, { userId: person.id, label: `${person.username} via ${client.name}`.slice(0, 255), permissions }), scopes, corsOrigins: client.corsOrigins };
}
