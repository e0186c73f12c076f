// /applications: the ClientService calls the Applications page makes — list, read,
// register (the secret shown once), change redirect URIs, API scopes and CORS origins,
// regenerate the secret, remove. Changing who can act through an application (redirect
// URIs, secret, API grant, origins) needs every permission it can exercise; the service
// decides that, as for the page.
import { authorize } from '../roles/authorize.js';
import { API_SCOPES } from '../clients/api-scopes.js';
import { CLIENT_TYPES, SIGNING_ALGS, type ClientInput, type ClientType, type ClientView } from '../clients/client-service.js';
import { idSchema } from './api-schemas.js';
import type { JsonSchema, Operation } from './operation.js';

const uris: JsonSchema = { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 2000 } };
const apiScopes: JsonSchema = { type: 'array', maxItems: API_SCOPES.length, uniqueItems: true, items: { type: 'string', enum: [...API_SCOPES] } };
const apiPermissions: JsonSchema = { type: 'array', maxItems: 200, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 100 } };
const corsOrigins: JsonSchema = { type: 'array', maxItems: 50, uniqueItems: true, items: { type: 'string', minLength: 1, maxLength: 300 } };

const editable: Record<string, JsonSchema> = {
  name: { type: 'string', minLength: 1, maxLength: 255 },
  redirectUris: uris,
  postLogoutRedirectUris: uris,
  firstParty: { type: 'boolean' },
  backchannelLogoutUri: { type: ['string', 'null'], maxLength: 2000 },
  idTokenSigningAlg: { type: 'string', enum: [...SIGNING_ALGS] },
  apiScopes,
  apiPermissions,
  corsOrigins,
};

const applicationSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'name', 'type', 'redirectUris', 'postLogoutRedirectUris', 'firstParty', 'apiScopes', 'apiPermissions', 'corsOrigins', 'createdAt', 'updatedAt'],
  properties: {
    id: { type: 'string' }, name: { type: 'string' }, type: { type: 'string', enum: [...CLIENT_TYPES] },
    redirectUris: { type: 'array', items: { type: 'string' } }, postLogoutRedirectUris: { type: 'array', items: { type: 'string' } },
    firstParty: { type: 'boolean' }, backchannelLogoutUri: { type: ['string', 'null'] }, idTokenSigningAlg: { type: 'string' },
    apiScopes: { type: 'array', items: { type: 'string' } },
    apiPermissions: { type: 'array', items: { type: 'string' }, description: 'What a machine application acts with (∩ what apiGrantedBy still holds); for others, what the scopes open.' },
    apiGrantedBy: { type: ['string', 'null'] },
    corsOrigins: { type: 'array', items: { type: 'string' } },
    createdAt: { type: 'string', format: 'date-time' }, updatedAt: { type: 'string', format: 'date-time' },
  },
};

const secretAnswer: JsonSchema = { type: 'object', additionalProperties: false, required: ['clientSecret'], properties: { clientSecret: { type: 'string', description: 'Shown once: store it now.' } } };

function presentApplication(c: ClientView) {
  return {
    id: c.clientId, name: c.name, type: c.type, redirectUris: c.redirectUris, postLogoutRedirectUris: c.postLogoutRedirectUris,
    firstParty: c.firstParty, backchannelLogoutUri: c.backchannelLogoutUri, idTokenSigningAlg: c.idTokenSigningAlg,
    apiScopes: c.api?.scopes ?? [], apiPermissions: c.api?.permissions ?? [], apiGrantedBy: c.api?.grantedBy ?? null,
    corsOrigins: c.corsOrigins, createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  };
}

export const applicationOperations: Operation[] = [
  {
    method: 'get', path: '/applications', operationId: 'listApplications', tag: 'Applications', scope: 'api:clients', summary: 'List registered applications',
    responses: { 200: { description: 'Every application', schema: { type: 'object', additionalProperties: false, required: ['items'], properties: { items: { type: 'array', items: applicationSchema } } } } },
    async handler({ services, ctx }) {
      authorize(ctx.actor, 'clients.manage');
      return { status: 200, body: { items: (await services.clients.list()).map(presentApplication) } };
    },
  },
  {
    method: 'post', path: '/applications', operationId: 'createApplication', tag: 'Applications', scope: 'api:clients',
    summary: 'Register an application', description: 'As the Add an application form. web and machine applications get a secret, in this answer only. API scopes: their permissions must be held by the caller.',
    body: { type: 'object', additionalProperties: false, required: ['name', 'type'], properties: { ...editable, type: { type: 'string', enum: [...CLIENT_TYPES] } } },
    responses: { 201: { description: 'Registered', schema: { type: 'object', additionalProperties: false, required: ['application', 'clientSecret'], properties: { application: applicationSchema, clientSecret: { type: ['string', 'null'], description: 'Shown once (null for public applications).' } } } } },
    async handler({ services, ctx, body }) {
      const b = body as ClientInput & { type: ClientType };
      const { client, clientSecret } = await services.clients.add(ctx, b);
      return { status: 201, body: { application: presentApplication(client), clientSecret }, headers: { Location: `/api/v1/applications/${client.clientId}` } };
    },
  },
  {
    method: 'get', path: '/applications/{id}', operationId: 'getApplication', tag: 'Applications', scope: 'api:clients', summary: 'Read an application',
    params: { id: idSchema },
    responses: { 200: { description: 'The application', schema: applicationSchema } },
    async handler({ services, ctx, params }) {
      authorize(ctx.actor, 'clients.manage');
      return { status: 200, body: presentApplication(await services.clients.get(params.id!)) };
    },
  },
  {
    method: 'patch', path: '/applications/{id}', operationId: 'updateApplication', tag: 'Applications', scope: 'api:clients',
    summary: 'Change an application', description: 'Fields left out stay. Changing redirect URIs, API scopes or permissions, or CORS origins needs every permission the application can exercise (its API set, and the dominance rule over each person who granted it access).',
    params: { id: idSchema },
    body: { type: 'object', additionalProperties: false, minProperties: 1, properties: editable },
    responses: { 200: { description: 'The application now', schema: applicationSchema } },
    async handler({ services, ctx, params, body }) {
      return { status: 200, body: presentApplication(await services.clients.update(ctx, params.id!, body as Partial<ClientInput>)) };
    },
  },
  {
    method: 'post', path: '/applications/{id}/secret', operationId: 'regenerateApplicationSecret', tag: 'Applications', scope: 'api:clients',
    summary: 'Regenerate the secret', description: 'The old secret stops working at once and the application\'s client-credentials tokens end. Needs every permission the application can exercise.',
    params: { id: idSchema },
    responses: { 200: { description: 'The new secret, shown once', schema: secretAnswer } },
    async handler({ services, ctx, params }) {
      return { status: 200, body: { clientSecret: await services.clients.regenerateSecret(ctx, params.id!) } };
    },
  },
  {
    method: 'delete', path: '/applications/{id}', operationId: 'removeApplication', tag: 'Applications', scope: 'api:clients', summary: 'Remove an application',
    params: { id: idSchema },
    responses: { 204: { description: 'Removed' } },
    async handler({ services, ctx, params }) {
      await services.clients.remove(ctx, params.id!);
      return { status: 204 };
    },
  },
];
