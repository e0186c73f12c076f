// The parts of the application import only what docs/architecture.md allows: the domain
// no page, edge, kit, shell or configuration; pages and protocol edges not one another;
// migrations nothing of the application; and no file imports itself back through others.
//
// KNOWN_EXCEPTIONS are the violations that remain until files move; this list may only
// shrink. A new violation fails, and so does an exception that no longer occurs (delete
// its line, so nobody can bring it back unnoticed).
import path from 'node:path';
import { expect } from 'chai';
import { readImportGraph } from './import-graph.js';
import { forbiddenImports, importCycles } from './architecture-rules.js';

const KNOWN_EXCEPTIONS: readonly string[] = [
  // Web sessions are a domain service (an access revoker) whose model still lives with the
  // pages: it moves into the domain.
  'src/db/models.ts -> src/web/session/web-session-model.ts',
  // The page layout, cookies, signed values, request context, login tickets and the
  // passkey ceremony script serve both the web pages and the OIDC interaction pages (and
  // the API's documentation page): they move into the shared HTTP kit (src/http/).
  'oidc/interactions/interaction-pages.ts -> src/web/layout.ts',
  'oidc/interactions/interaction-pages.ts -> src/web/scripts/passkey-ceremony.ts',
  'oidc/interactions/interaction-routes.ts -> src/web/request-context.ts',
  'oidc/interactions/interaction-routes.ts -> src/web/session/login-ticket.ts',
  'oidc/interactions/passkey-pages.ts -> src/web/layout.ts',
  'oidc/interactions/passkey-pages.ts -> src/web/scripts/passkey-ceremony.ts',
  'oidc/interactions/passkey-routes.ts -> src/web/request-context.ts',
  'oidc/provider.ts -> src/web/layout.ts',
  'oidc/upstream/upstream-routes.ts -> src/web/cookies.ts',
  'oidc/upstream/upstream-routes.ts -> src/web/layout.ts',
  'oidc/upstream/upstream-routes.ts -> src/web/request-context.ts',
  'oidc/upstream/upstream-routes.ts -> src/web/session/signed-cookie.ts',
  'src/api/docs-page.ts -> src/web/layout.ts',
  // The access-end rules (pure checks the users service applies) share a file with the
  // scheduler that deactivates through the users service: the rules move into a file of
  // their own.
  'src/users/access-ends.ts <-> src/users/user-service.ts',
];

const repoRoot = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

describe('architecture: what each part may import', () => {
  const edges = readImportGraph(repoRoot);
  const violations = [...forbiddenImports(edges), ...importCycles(edges)];

  it('reads the imports of the application', () => {
    // A guard against a reader that silently finds nothing (and so passes every rule).
    expect(edges.length).to.be.greaterThan(1000);
    expect(edges).to.deep.include({ from: 'src/server.ts', to: 'config/index.ts', typeOnly: false });
    expect(edges).to.deep.include({ from: 'src/db/migrator.ts', to: 'migrations/index.ts', typeOnly: false });
  });

  it('adds no import the rules forbid, and no import cycle', () => {
    const added = violations.filter((v) => !KNOWN_EXCEPTIONS.includes(v));
    expect(added, 'new violations: move the shared piece down to a part both may import (docs/architecture.md)').to.deep.equal([]);
  });

  it('lists as known exceptions only violations that still occur', () => {
    const gone = KNOWN_EXCEPTIONS.filter((v) => !violations.includes(v));
    expect(gone, 'fixed: delete these lines from KNOWN_EXCEPTIONS').to.deep.equal([]);
  });
});
