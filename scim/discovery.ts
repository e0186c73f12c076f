// Service provider discovery (RFC 7644 §4): ServiceProviderConfig says what this server
// really does (PATCH, Bulk with its limits, filters with maxResults, sorting, ETags, and
// password changes only when provisioned accounts sign in with a SCIM password);
// ResourceTypes and Schemas describe Users (with the enterprise extension) from scimmy's
// RFC 7643 definitions and Groups as groups/group-schema.ts states them.
import SCIMMY from 'scimmy';
import type { ScimCall } from './context.js';
import { ScimError } from './errors.js';
import type { ResourceResult } from './http/responses.js';
import { groupSchema } from './groups/group-schema.js';
import { listResponse } from './list/list-response.js';
import { declareScimmyResources } from './schema-validation.js';
import { ENTERPRISE_URN, GROUP_URN, LIMITS, RESOURCE_TYPE_URN, SPC_URN, USER_URN } from './urns.js';

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
  const types = [
    { id: 'User', name: 'User', endpoint: '/Users', description: 'User Account', schema: USER_URN, schemaExtensions: [{ schema: ENTERPRISE_URN, required: false }] },
    { id: 'Group', name: 'Group', endpoint: '/Groups', description: 'Group (a Gatehouse role)', schema: GROUP_URN },
  ];
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
  declareScimmyResources();
  const location = `${baseUrl}/Schemas`;
  const users = [SCIMMY.Schemas.User, SCIMMY.Schemas.EnterpriseUser].map((s) => s.definition.describe(location) as unknown as { id: string });
  return [...users, groupSchema(location)];
}

export function schemas(call: ScimCall, id?: string): ResourceResult {
  const all = schemaList(call.baseUrl);
  if (id === undefined) return { status: 200, body: listResponse(all, all.length, 1) };
  const one = all.find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!one) throw new ScimError(404, null, `No schema "${id}".`);
  return { status: 200, body: one };
}
