// The admin shell: navigation (with the pending-invitations badge), the signed-in user,
// sign-out, and the backup-administrator warning (seed 002) on every page.
import { html, raw, type SafeHtml } from '../../html.js';
import type { UserView } from '../../users/user-presenter.js';
import { can } from '../../roles/authorize.js';
import type { Actor } from '../../context.js';
import { csrfField } from '../layout.js';

export interface ShellState {
  user: UserView;
  actor: Actor;
  csrfToken: string;
  pendingInvitations: number;
  soleUserManager: boolean;
  current: string;
}

const NAV: Array<{ href: string; label: string; permission: string; badge?: boolean }> = [
  { href: '/admin/users', label: 'Users', permission: 'users.view' },
  { href: '/admin/invitations', label: 'Invitations', permission: 'users.invite', badge: true },
  { href: '/admin/roles', label: 'Roles', permission: 'roles.manage' },
  { href: '/admin/seats', label: 'Seats', permission: 'users.view' },
  { href: '/admin/clients', label: 'Applications', permission: 'clients.manage' },
  { href: '/admin/settings', label: 'Settings', permission: 'settings.manage' },
  { href: '/admin/upstream', label: 'Sign-in providers', permission: 'settings.manage' },
  { href: '/admin/scim-tokens', label: 'SCIM', permission: 'scim.manage' },
  { href: '/admin/directory', label: 'Directory', permission: 'directory.manage' },
  { href: '/admin/audit', label: 'Audit log', permission: 'audit.view' },
];

const STYLE = `*{box-sizing:border-box}body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1f2328;background:#f6f8fa;line-height:1.5}
header{background:#24292f;color:#fff;display:flex;align-items:center;gap:16px;padding:8px 24px;flex-wrap:wrap}
header a{color:#fff;text-decoration:none;padding:6px 8px;border-radius:6px}header a.current{background:#57606a}
header .spacer{flex:1}header form{margin:0}header button{background:transparent;border:1px solid #8c959f;color:#fff;border-radius:6px;padding:4px 10px;cursor:pointer}
.badge{background:#bf3989;border-radius:10px;padding:0 7px;font-size:.75rem;margin-left:4px}
main{max-width:1100px;margin:24px auto;background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:24px}
.warning{padding:10px 16px;background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;margin-bottom:16px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #d8dee4;vertical-align:top}
label{display:block;font-weight:600;margin-top:12px}input[type=text],input[type=email],input[type=password],input[type=tel],input[type=number],select,textarea{width:100%;max-width:480px;padding:6px;border:1px solid #d0d7de;border-radius:6px;font:inherit}
.field-error{color:#cf222e;font-size:.875rem;margin:4px 0 0}.invalid{border-color:#cf222e!important}.hint{color:#57606a;font-size:.875rem;margin:4px 0 0}
button{background:#1f883d;color:#fff;border:0;border-radius:6px;padding:8px 14px;font:inherit;cursor:pointer;margin-top:12px}button.danger{background:#cf222e}button.secondary{background:#6e7781}
.notice{padding:10px 16px;border-radius:6px;background:#ddf4ff;border:1px solid #54aeff}.error-box{padding:10px 16px;border-radius:6px;background:#ffebe9;border:1px solid #ff8182}`;

export function adminPage(title: string, s: ShellState, body: SafeHtml): string {
  const links = NAV.filter((n) => can(s.actor, n.permission));
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · Gatehouse admin</title><style>${raw(STYLE)}</style></head>
<body><header><strong>Gatehouse</strong>
<nav>${links.map((n) => html`<a href="${n.href}" class="${s.current === n.href ? 'current' : ''}">${n.label}${n.badge && s.pendingInvitations > 0 ? html`<span class="badge" title="Pending invitations">${s.pendingInvitations}</span>` : ''}</a>`)}</nav>
<span class="spacer"></span><a href="/account">${s.user.name}</a>
<form method="post" action="/auth/logout">${csrfField(s.csrfToken)}<button type="submit">Sign out</button></form></header>
<main>${s.soleUserManager && can(s.actor, 'users.manage') ? html`<p class="warning" role="status">Only one active account can manage users. Add a backup administrator in case this account is locked out.</p>` : ''}
${body}</main></body></html>`.value;
}
