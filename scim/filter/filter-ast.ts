// The parsed form of a SCIM filter (RFC 7644 §3.4.2.2) and of PATCH paths (§3.5.2).
export const COMPARE_OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'lt', 'ge', 'le'] as const;
export type CompareOp = (typeof COMPARE_OPS)[number];

/** attrPath = [URI ":"] ATTRNAME *1subAttr */
export interface AttrPath {
  /** The schema URN prefix, as written, or null. */
  uri: string | null;
  attr: string;
  sub: string | null;
}

export type CompValue = string | number | boolean | null;

export type FilterNode =
  | { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { type: 'not'; filter: FilterNode }
  | { type: 'compare'; path: AttrPath; op: CompareOp; value: CompValue }
  | { type: 'present'; path: AttrPath }
  /** attr[filter]: some value of the multi-valued `path` matches `filter` (paths relative). */
  | { type: 'valuePath'; path: AttrPath; filter: FilterNode };

export function pathText(p: AttrPath): string {
  return `${p.uri ? p.uri + ':' : ''}${p.attr}${p.sub ? '.' + p.sub : ''}`;
}

/** The top-level attribute paths a filter names (value-path filters name sub-attributes). */
export function filterPaths(node: FilterNode): AttrPath[] {
  switch (node.type) {
    case 'and':
    case 'or':
      return [...filterPaths(node.left), ...filterPaths(node.right)];
    case 'not':
      return filterPaths(node.filter);
    default:
      return [node.path];
  }
}
