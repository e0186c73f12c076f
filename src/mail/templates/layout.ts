// The shared frame of every HTML mail: plain, readable, no remote resources.
import { html, type SafeHtml } from '../../html.js';

export function mailLayout(organizationName: string, body: SafeHtml): string {
  return html`<!doctype html>
<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>
<body style="font-family:system-ui,-apple-system,Segoe UI,sans-serif;color:#1f2328;background:#f6f8fa;margin:0;padding:24px">
<table role="presentation" width="100%" style="max-width:560px;margin:0 auto;background:#fff;border:1px solid #d0d7de;border-radius:8px"><tr><td style="padding:24px">
<p style="font-weight:600;margin:0 0 16px">${organizationName}</p>
${body}
</td></tr></table></body></html>`.value;
}

export function mailButton(href: string, label: string): SafeHtml {
  return html`<p style="margin:24px 0"><a href="${href}" style="background:#1f6feb;color:#fff;padding:10px 18px;border-radius:6px;text-decoration:none;display:inline-block">${label}</a></p>`;
}
