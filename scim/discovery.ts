// Service provider discovery (RFC 7644 §4): ServiceProviderConfig says what this server
// really does (PATCH, Bulk with its limits, filters with maxResults, sorting, ETags, and
// password changes only when provisioned accounts sign in with a SCIM password);
// ResourceTypes and Schemas describe Users (with the enterprise extension) and Groups from
// the same attribute declarations that validation, the mappers and filters use.
import type { ScimCall } from './context.js';
import { ScimError } from './errors.js';
import type { ResourceResult } from './http/responses.js';
import { listResponse } from './list/list-response.js';
import { RESOURCE_SCHEMAS } from './schema-validation.js';
import { describeSchema } from './schema/attribute-def.js';
import { LIMITS, RESOURCE_TYPE_URN, SPC_URN } from './urns.js';

export async function serviceProviderConfig(call: ScimCall): Promise<ResourceResult> {
  const passwords = (await call.services.settings.get('provisionedCredentialMode')) === 'scim_password';
  return {
    status: 200,
    body: {
      schemas: [SPC_URN],
      documentationUri: 'https://datatracker.ietf.org/doc/html/rfc7644',
      patch: { supported: true },
      bulk: { supported: true, maxOperations: LIMITS.bulkMaxOperations, maxPayloadSize: LIMITS.maxPayloadBytes },
      filter: { supported: true, maxResults: LIMITS.maxResults },
      changePassword: { supported: passwords },
      sort: { supported: true },
      etag: { supported: true },
      authenticationSchemes: [
        {
          type: 'oauthbearertoken',
          name: 'OAuth Bearer Token',
          description: 'A bearer token created by a Gatehouse administrator (permission scim.manage).',
          specUri: 'https://www.rfc-editor.org/info/rfc6750',
          primary: true,
        },
      ],
      meta: { resourceType: 'ServiceProviderConfig', location: `${call.baseUrl}/ServiceProviderConfig` },
    },
  };
}

function resourceTypeList(baseUrl: string): object[] {
  const types = (Object.entries(RESOURCE_SCHEMAS) as Array<[string, (typeof RESOURCE_SCHEMAS)['User']]>).map(([id, { core, extensions }]) => ({
    id,
    name: id,
    endpoint: `/${id}s`,
    description: core.description,
    schema: core.id,
    ...(extensions.length ? { schemaExtensions: extensions.map((e) => ({ schema: e.id, required: false })) } : {}),
  }));
  return types.map((t) => ({ schemas: [RESOURCE_TYPE_URN], ...t, meta: { resourceType: 'ResourceType', location: `${baseUrl}/ResourceTypes/${t.id}` } }));
}

export function resourceTypes(call: ScimCall, id?: string): ResourceResult {
  const all = resourceTypeList(call.baseUrl);
  if (id === undefined) return { status: 200, body: listResponse(all, all.length, 1) };
  const one = all.find((t) => (t as { id: string }).id.toLowerCase() === id.toLowerCase());
  if (!one) throw new ScimError(404, null, `No resource type "${id}".`);
  return { status: 200, body: one };
}

function schemaList(baseUrl: string): Array<{ id: string }> {
  const location = `${baseUrl}/Schemas`;
  return Object.values(RESOURCE_SCHEMAS).flatMap(({ core, extensions }) => [core, ...extensions]).map((s) => describeSchema(s, location) as { id: string });
}

export function schemas(call: ScimCall, id?: string): ResourceResult {
  const all = schemaList(call.baseUrl);
  if (id === undefined) return { status: 200, body: listResponse(all, all.length, 1) };
  const one = all.find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!one) throw new ScimError(404, null, `No schema "${id}".`);
  return { status: 200, body: one };
}
