// A real browser for page tests: Debian's chromium driven by playwright-core
// (`npx playwright install` cannot download browsers here, and chromium needs
// these flags and an empty profile). Screenshots are kept under test/artifacts/<suite>/
// (gitignored) so a failed run can be looked at afterwards.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { requireServer } from './require-server.js';
import { REPO_ROOT } from './server-process.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const ARTIFACTS_DIR = path.join(REPO_ROOT, 'test', 'artifacts');

/** Skips the suite without chromium (fails under CI=true, see require-server.ts). */
export function requireChromium(ctx: Mocha.Context): void {
  requireServer(ctx, fs.existsSync(CHROMIUM_PATH), `Debian chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  /** Saves a full-page screenshot as test/artifacts/<suite>/<NN>-<name>.png; returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * Launches chromium with a fresh --user-data-dir (a persistent context is how playwright
 * takes a profile directory of our choosing) and one open page.
 */
export async function openBrowser(suite: string, options: { bypassCSP?: boolean } = {}): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gatehouse-chromium-'));
  const dir = path.join(ARTIFACTS_DIR, suite.replace(/[^a-zA-Z0-9._-]+/g, '-'));
  fs.mkdirSync(dir, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1100, height: 760 },
    // Only for audits that inject a script (axe-core) into the pages they inspect.
    bypassCSP: options.bypassCSP ?? false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  let shots = 0;
  return {
    context,
    page,
    async screenshot(name) {
      const file = path.join(dir, `${String(++shots).padStart(2, '0')}-${name}.png`);
      await page.screenshot({ path: file, fullPage: true });
      return file;
    },
    async close() {
      await context.close().catch(() => undefined);
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface VirtualAuthenticator {
  id: string;
  /** The credentials it holds (the DevTools protocol's WebAuthn.Credential). */
  credentials(): Promise<Array<{ credentialId: string; isResidentCredential: boolean; signCount: number; userHandle?: string }>>;
}

/**
 * A platform authenticator inside the page (the DevTools protocol's WebAuthn domain): CTAP2,
 * resident keys, user verification that always succeeds, presence answered at once. The
 * browser's own passkey dialogs never show.
 */
export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  return {
    id: authenticatorId,
    credentials: async () => (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials,
  };
}
