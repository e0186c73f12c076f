// Every import between the application's own files, read with the TypeScript compiler's
// parser: static imports, `export … from`, `import()` calls and `import('…')` types. Each
// edge says whether it is type-only (erased at run time, yet still a dependency of the
// code's meaning, so it counts for the architecture rules and for cycles).
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportEdge {
  /** Importing and imported file, relative to the repository root with '/' separators. */
  from: string;
  to: string;
  typeOnly: boolean;
}

/** The application's source roots (tests, benches and tooling are not part of it). */
export const APPLICATION_ROOTS = ['config', 'src', 'oidc', 'scim', 'migrations'] as const;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [full] : [];
  });
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // a bare `import './x.js'` runs the module
  if (clause.isTypeOnly) return true;
  const named = clause.namedBindings;
  return !clause.name && !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
}

/** The module specifiers `file` imports, each with whether only types come through it. */
export function importsOf(fileName: string, text: string): Array<{ specifier: string; typeOnly: boolean }> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const found: Array<{ specifier: string; typeOnly: boolean }> = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: isTypeOnlyImport(node) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause;
      const allTypes = !!named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || allTypes });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ specifier: node.argument.literal.text, typeOnly: true });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [first] = node.arguments;
      if (first && ts.isStringLiteralLike(first)) found.push({ specifier: first.text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Imports between the application's files under `repoRoot` (packages and node: modules left out). */
export function readImportGraph(repoRoot: string): ImportEdge[] {
  const files = APPLICATION_ROOTS.flatMap((root) => sourceFiles(path.join(repoRoot, root)));
  const relative = (file: string) => path.relative(repoRoot, file).split(path.sep).join('/');
  return files.flatMap((file) =>
    importsOf(file, fs.readFileSync(file, 'utf8'))
      .filter((i) => i.specifier.startsWith('.'))
      // ESM sources name the compiled file (x.js); the file read is x.ts.
      .map((i) => ({ from: relative(file), to: relative(path.resolve(path.dirname(file), i.specifier.replace(/\.js$/, '.ts'))), typeOnly: i.typeOnly })),
  );
}
