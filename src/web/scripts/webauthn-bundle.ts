// @simplewebauthn/browser's own browser build (UMD, it defines window.SimpleWebAuthnBrowser),
// read once from the installed package so the page loads it from this origin: the content
// security policy allows scripts from 'self' only, and no copy can fall out of step with
// the installed version.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

let bundle: string | null = null;

export function webauthnBrowserBundle(): string {
  if (bundle === null) {
    // The package's CommonJS entry is script/index.js; the browser build sits beside it.
    const entry = createRequire(import.meta.url).resolve('@simplewebauthn/browser');
    bundle = fs.readFileSync(path.join(path.dirname(entry), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
  }
  return bundle;
}
