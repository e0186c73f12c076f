// Schema and message URNs (RFC 7643 §8.7.1, RFC 7644 §3.1 and §8.2).
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';
export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
/** Gatehouse's own User extension (RFC 7643 §3.3: extensions in the implementer's namespace). */
export const GATEHOUSE_USER_URN = 'urn:gatehouse:params:scim:schemas:extension:2.0:User';
export const LIST_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
export const SEARCH_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
export const PATCH_OP_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
export const BULK_REQUEST_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
export const BULK_RESPONSE_URN = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';
export const ERROR_URN = 'urn:ietf:params:scim:api:messages:2.0:Error';
export const SPC_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
export const RESOURCE_TYPE_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
export const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** application/scim+json is the SCIM media type (RFC 7644 §3.1); plain JSON is accepted too. */
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8';

/** Default page size 100, maxResults 1000; Bulk 1000 operations, 1 MB. */
export const LIMITS = {
  defaultCount: 100,
  maxResults: 1000,
  bulkMaxOperations: 1000,
  maxPayloadBytes: 1_048_576,
  maxFilterLength: 4096,
} as const;
