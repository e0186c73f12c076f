// Finds an attribute path (RFC 7644 §3.10 "attribute notation") in a resource's map:
// case-insensitive names, an optional schema URN prefix, and core attributes first, then
// extension attributes by their bare name.
import { invalidFilter } from '../errors.js';
import { pathText, type AttrPath } from './filter-ast.js';
import { attrIn, extensionIn, type Attr, type ResourceAttributes } from './attribute-map.js';

export function resolveTop(resource: ResourceAttributes, path: AttrPath): Attr {
  const name = path.attr.toLowerCase();
  if (path.uri) {
    const uri = path.uri.toLowerCase();
    const table = uri === resource.coreUri.toLowerCase() ? resource.core : extensionIn(resource, uri);
    if (!table) throw invalidFilter(`Unknown schema "${path.uri}" for ${resource.resourceType} resources.`);
    const attr = attrIn(table, name);
    if (!attr) throw invalidFilter(`Unknown or unsupported attribute "${pathText(path)}" for ${resource.resourceType} resources.`);
    return attr;
  }
  const attr = attrIn(resource.core, name) ?? Object.values(resource.extensions).map((t) => attrIn(t, name)).find((a) => a);
  if (!attr) throw invalidFilter(`Unknown or unsupported attribute "${pathText(path)}" for ${resource.resourceType} resources.`);
  return attr;
}
