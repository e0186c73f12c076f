// The Group schema as this server implements it (RFC 7643 §7 representation), served by
// /Schemas. It differs from the RFC's §8.7.1 listing only where Gatehouse does something
// narrower, so a client that trusts it is never refused or surprised:
// - displayName is required and unique (it is the role's name, unique without regard to case);
// - members.value is required and case-exact (an account id); nested groups are not
//   supported, so `type` and `$ref` name Users only;
// - members.display is the member's userName, kept by the server: a client's display is
//   ignored like any read-only attribute (RFC 7643 §2.2), and what GET returns is the name
//   Okta and others send as display anyway.
import { GROUP_URN, SCHEMA_URN } from '../urns.js';

interface AttributeDescription {
  name: string;
  type: 'string' | 'reference' | 'complex';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact?: boolean;
  canonicalValues?: string[];
  referenceTypes?: string[];
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness?: 'none' | 'server' | 'global';
  subAttributes?: AttributeDescription[];
}

const member = (name: string, description: string, extra: Partial<AttributeDescription>): AttributeDescription => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'immutable',
  returned: 'default',
  uniqueness: 'none',
  ...extra,
});

export const GROUP_SCHEMA_ATTRIBUTES: AttributeDescription[] = [
  {
    name: 'displayName',
    type: 'string',
    multiValued: false,
    description: "A human-readable name for the Group (the Gatehouse role's name). REQUIRED.",
    required: true,
    caseExact: false,
    mutability: 'readWrite',
    returned: 'default',
    uniqueness: 'server',
  },
  {
    name: 'members',
    type: 'complex',
    multiValued: true,
    description: 'The accounts holding the role. Members are Users; groups cannot be members.',
    required: false,
    mutability: 'readWrite',
    returned: 'default',
    subAttributes: [
      member('value', 'The id of the member User.', { required: true, caseExact: true }),
      member('display', "The member's userName, kept by the server.", { mutability: 'readOnly' }),
      member('$ref', 'The URI of the member User.', { type: 'reference', referenceTypes: ['User'], caseExact: true }),
      member('type', 'The type of the member resource.', { canonicalValues: ['User'] }),
    ],
  },
];

export function groupSchema(schemasLocation: string): { id: string } & Record<string, unknown> {
  return {
    schemas: [SCHEMA_URN],
    id: GROUP_URN,
    name: 'Group',
    description: 'Group (a Gatehouse role)',
    attributes: GROUP_SCHEMA_ATTRIBUTES,
    meta: { resourceType: 'Schema', location: `${schemasLocation}/${GROUP_URN}` },
  };
}
