// The admin console's frame: the organization's name (where an organization switcher will
// sit), the navigation grouped by what an admin looks after (with the pending-invitations
// badge), the signed-in user and sign-out, and the backup-administrator warning.
// Wide screens show the navigation at the side; narrow ones fold it behind a Menu button
// that works without JavaScript (a checkbox and its label).
import { html, raw, type SafeHtml } from '../../html.js';
import type { UserView } from '../../users/user-presenter.js';
import { can } from '../../roles/authorize.js';
import type { Actor } from '../../context.js';
import { consoleScript, csrfField } from '../layout.js';
import { CONSOLE_STYLE, STYLE } from '../style.js';

export interface ShellState {
  user: UserView;
  actor: Actor;
  csrfToken: string;
  pendingInvitations: number;
  soleUserManager: boolean;
  current: string;
  organizationName: string;
  /** The organization's time zone (an IANA name): every time on the admin pages is shown in it. */
  timeZone: string;
}

interface NavLink {
  href: string;
  label: string;
  permission: string;
  badge?: boolean;
}

const NAV: Array<{ group: string | null; links: NavLink[] }> = [
  { group: null, links: [{ href: '/admin', label: 'Overview', permission: 'users.view' }] },
  {
    group: 'People',
    links: [
      { href: '/admin/users', label: 'Users', permission: 'users.view' },
      { href: '/admin/invitations', label: 'Invitations', permission: 'users.invite', badge: true },
      { href: '/admin/roles', label: 'Roles', permission: 'roles.manage' },
      { href: '/admin/seats', label: 'Seats', permission: 'users.view' },
    ],
  },
  {
    group: 'Connections',
    links: [
      { href: '/admin/clients', label: 'Applications', permission: 'clients.manage' },
      { href: '/admin/scim-tokens', label: 'SCIM', permission: 'scim.manage' },
      { href: '/admin/directory', label: 'Directory', permission: 'directory.manage' },
      { href: '/admin/upstream', label: 'Sign-in providers', permission: 'settings.manage' },
    ],
  },
  {
    group: 'Organization',
    links: [
      { href: '/admin/settings', label: 'Settings', permission: 'settings.manage' },
      { href: '/admin/audit', label: 'Audit log', permission: 'audit.view' },
    ],
  },
];

/** The admin pages an actor may open, for the home page's links. */
export function adminLinksFor(actor: Actor): NavLink[] {
  return NAV.flatMap((g) => g.links).filter((n) => can(actor, n.permission));
}

/** A section is current on its own page and on the pages below it (/admin/users/42). */
function isCurrent(href: string, current: string): boolean {
  return href === '/admin' ? current === '/admin' : current === href || current.startsWith(`${href}/`);
}

function navigation(s: ShellState): SafeHtml {
  return html`<nav aria-label="Administration">${NAV.map(({ group, links }) => {
    const visible = links.filter((n) => can(s.actor, n.permission));
    if (visible.length === 0) return '';
    const id = group ? `nav-${group.toLowerCase()}` : '';
    return html`${group ? html`<p class="nav-group" id="${id}">${group}</p>` : ''}<ul ${group ? html`aria-labelledby="${id}"` : ''}>${visible.map(
      (n) => html`<li><a href="${n.href}" ${isCurrent(n.href, s.current) ? html`aria-current="page"` : ''}><span>${n.label}</span>${
        n.badge && s.pendingInvitations > 0 ? html`<span class="badge" title="Pending invitations">${s.pendingInvitations}</span>` : ''
      }</a></li>`,
    )}</ul>`;
  })}</nav>`;
}

export function adminPage(title: string, s: ShellState, body: SafeHtml): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title} · ${s.organizationName} admin</title><style>${raw(STYLE)}${raw(CONSOLE_STYLE)}</style>${consoleScript()}</head>
<body class="console"><a class="skip-link" href="#main">Skip to content</a>
<aside class="sidebar">
<a class="brand" href="/admin">${s.organizationName}</a><span class="brand-sub">Gatehouse admin</span>
<input type="checkbox" id="nav-open" class="nav-open visually-hidden"><label for="nav-open" class="nav-open-label">Menu</label>
<div class="sidebar-body">
${navigation(s)}
<div class="sidebar-user"><a href="/account">${s.user.name}</a>
<form method="post" action="/auth/logout">${csrfField(s.csrfToken)}<button type="submit" class="secondary">Sign out</button></form></div>
</div>
</aside>
<main id="main" data-time-zone="${s.timeZone}"><div class="console-panel">
${s.soleUserManager && can(s.actor, 'users.manage') ? html`<p class="warning" role="status">Only one active account can manage users. Add a backup administrator in case this account is locked out.</p>` : ''}
${body}</div></main></body></html>`.value;
}
