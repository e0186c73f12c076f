// A ListResponse (RFC 7644 §3.4.2): the page of resources with its true total, built here
// because scimmy's ListResponse re-slices a page the database already cut (it drops the
// first items of any page whose startIndex is at most its length).
import { LIST_RESPONSE_URN } from '../urns.js';

export interface ListResponse {
  schemas: [typeof LIST_RESPONSE_URN];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: object[];
}

export function listResponse(resources: object[], totalResults: number, startIndex: number): ListResponse {
  return { schemas: [LIST_RESPONSE_URN], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
}
