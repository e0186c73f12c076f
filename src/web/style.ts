// The one style sheet of every server-rendered page (admin console, account, sign-in).
// The class vocabulary is documented at the top of layout.ts. Colours are chosen so text
// keeps a contrast of at least 4.5:1 on the background it sits on (WCAG AA).
export const STYLE = `
:root{--text:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--page:#f3f5f7;--accent:#0969da;--accent-dark:#0550ae;--accent-soft:#ddf4ff;--danger:#cf222e;--ok:#1a7f37;--radius:8px}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:var(--text);background:var(--page);line-height:1.5;font-size:15px}
a{color:var(--accent)}a:hover{color:var(--accent-dark)}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 16px}h2{font-size:1.15rem;margin:24px 0 8px}h3{font-size:1rem;margin:16px 0 4px}
code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.875em}code{background:var(--soft);padding:2px 4px;border-radius:4px;overflow-wrap:break-word}
pre{background:var(--soft);padding:12px;border-radius:6px;overflow-x:auto}
img,svg{max-width:100%}progress.full-width{width:100%}
.skip-link{position:absolute;left:-9999px;top:0}.skip-link:focus{left:8px;top:8px;z-index:10;background:#fff;padding:8px 12px;border-radius:6px}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
/* Forms */
label{display:block;font-weight:600;margin-top:14px}
input[type=text],input[type=email],input[type=password],input[type=tel],input[type=number],input[type=date],input[type=url],input[type=search],input[type=datetime-local],input[type=file],select,textarea{width:100%;max-width:480px;padding:7px 10px;border:1px solid var(--line);border-radius:6px;font:inherit;background:#fff;color:var(--text)}
input:focus-visible,select:focus-visible,textarea:focus-visible,button:focus-visible,a:focus-visible,summary:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
fieldset{border:1px solid var(--line);border-radius:var(--radius);padding:8px 16px 16px;margin:16px 0}legend{font-weight:600;padding:0 4px}
fieldset.plain{border:0;padding:0;margin:12px 0 0}
label.choice,.choice label{font-weight:400;margin-top:6px;display:flex;gap:8px;align-items:baseline}
.hint,.muted{color:var(--muted);font-size:.875rem}.hint{margin:4px 0 0}
.field-error{color:var(--danger);font-size:.875rem;margin:4px 0 0}.invalid{border-color:var(--danger)!important}
.form-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:0 20px}.form-grid input,.form-grid select{max-width:none}
.form-grid .wide{grid-column:1/-1}
.form-actions{display:flex;flex-wrap:wrap;gap:8px;align-items:center;margin-top:24px}.form-actions button,.form-actions .button{margin:0}
.filters{display:flex;flex-wrap:wrap;gap:8px 12px;align-items:flex-end;margin:0 0 16px}.filters label{margin-top:0;font-size:.8125rem}
.filters input,.filters select{max-width:200px;padding:5px 8px}.filters button{margin:0;padding:6px 12px}
/* Buttons: <button> and <a class="button"> are primary; .secondary, .danger and .link vary it */
button,.button{display:inline-block;margin-top:16px;background:var(--accent);color:#fff;border:1px solid transparent;border-radius:6px;padding:7px 14px;font:inherit;font-weight:500;line-height:1.4;cursor:pointer;text-decoration:none;text-align:center}
button:hover,.button:hover{background:var(--accent-dark);color:#fff}
button.secondary,.button.secondary{background:#fff;color:var(--text);border-color:var(--line)}button.secondary:hover,.button.secondary:hover{background:var(--soft);color:var(--text)}
button.danger,.button.danger{background:var(--danger)}button.danger:hover,.button.danger:hover{background:#a40e26}
button.link{background:none;border:0;color:var(--accent);padding:0;margin:0;text-decoration:underline}
button.small,.button.small{padding:3px 10px;font-size:.8125rem}
button:disabled,.button[aria-disabled=true]{background:#eaeef2;color:var(--muted);border-color:var(--line);cursor:not-allowed}
td button,td .button,.actions button,.actions .button,.toolbar button,.toolbar .button,.inline button{margin:0}
form.inline,.actions form{display:inline}
/* Boxes */
.card{background:#fff;border:1px solid var(--line);border-radius:var(--radius);padding:16px 20px;margin:0 0 16px}
.card>h2:first-child,.card>h3:first-child{margin-top:0}
.notice,.error-box,.warning,.success{padding:10px 14px;border-radius:6px;border:1px solid}
.notice{background:var(--accent-soft);border-color:#80ccff}.error-box{background:#ffebe9;border-color:#ff8182}
.warning{background:#fff8c5;border-color:#d4a72c}.success{background:#dafbe1;border-color:#4ac26b}
.badge{display:inline-block;min-width:1.4em;text-align:center;border-radius:10px;padding:0 7px;font-size:.75rem;font-weight:600;line-height:1.6;background:var(--accent-dark);color:#fff;white-space:nowrap}
.badge.neutral{background:#eaeef2;color:var(--text)}
.status{display:inline-block;border-radius:10px;padding:0 8px;font-size:.8rem;border:1px solid var(--line);white-space:nowrap}
.toolbar{display:flex;gap:8px 12px;align-items:center;flex-wrap:wrap;margin:12px 0}.toolbar .spacer{flex:1}
.page-head{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;margin-bottom:16px}.page-head h1{margin:0}
.pager{display:flex;gap:16px;margin-top:16px}
dl.facts{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:4px 16px;margin:0}dl.facts dt{font-weight:600}dl.facts dd{margin:0;overflow-wrap:anywhere}
/* Tables: wrap each in .table-wrap so a wide one scrolls inside its card; .stack turns rows into cards on phones (cells carry data-label) */
.table-wrap{position:relative;overflow-x:auto;max-width:100%;margin:0 0 16px}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:8px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:.8125rem;font-weight:600;color:var(--muted);background:var(--soft)}
td{overflow-wrap:break-word}td.nowrap,th.nowrap,td.when{white-space:nowrap;overflow-wrap:normal}
@media (max-width:640px){table.stack thead{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
table.stack tr{display:block;border-bottom:1px solid var(--line);padding:6px 0}table.stack td{display:grid;grid-template-columns:minmax(90px,35%) minmax(0,1fr);gap:8px;border:0;padding:3px 4px;overflow-wrap:anywhere;white-space:normal}
table.stack td::before{content:attr(data-label);font-weight:600;color:var(--muted);font-size:.8125rem}}
table.grid th[scope=row]{background:#fff;color:var(--text);font-weight:400;min-width:220px}table.grid .check{text-align:center;white-space:nowrap}
table.grid tr.area th{background:#fff;color:var(--text);font-size:.875rem;padding-top:18px}
.permission-areas{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:0 16px}.permission-areas fieldset{margin:8px 0}
ul.lines{list-style:none;margin:0;padding:0;font-size:.875rem}ul.lines li+li{margin-top:2px}
/* Menus: <details class="menu"><summary>Actions</summary><div class="menu-items">links and forms</div></details> */
details.menu{position:relative;display:inline-block}
details.menu>summary{list-style:none;cursor:pointer;padding:4px 10px;border:1px solid var(--line);border-radius:6px;background:#fff;user-select:none}
details.menu>summary::-webkit-details-marker{display:none}
details.menu>.menu-items{position:absolute;right:0;z-index:5;min-width:200px;margin-top:4px;background:#fff;border:1px solid var(--line);border-radius:var(--radius);box-shadow:0 8px 24px rgba(31,35,40,.12);padding:4px}
.menu-items a,.menu-items button{display:block;width:100%;text-align:left;margin:0;padding:6px 10px;border:0;border-radius:4px;background:none;color:var(--text);text-decoration:none;font-weight:400}
.menu-items a:hover,.menu-items button:hover{background:var(--soft);color:var(--text)}.menu-items .danger,.menu-items button.danger{color:var(--danger);background:none}
.menu-items form{display:block;margin:0}
ul.start-links{list-style:none;padding:0}ul.start-links li{padding:10px 0;border-bottom:1px solid var(--line)}ul.start-links li a{font-weight:600;margin-right:8px}
/* Plain pages (sign-in, account, errors): one centred card */
.plain-top{max-width:720px;margin:24px auto 0;padding:0 16px;display:flex;align-items:center;justify-content:space-between;gap:12px;flex-wrap:wrap}
.plain-top .brand{font-weight:700;color:var(--text);text-decoration:none}
body.plain>main{max-width:720px;margin:16px auto 40px;background:#fff;border:1px solid var(--line);border-radius:var(--radius);padding:32px}
body.plain button{margin-top:24px}
@media (max-width:640px){body.plain>main{margin:8px;padding:20px 16px}}
`;

/** The admin console's frame: a side navigation on wide screens, a menu button on narrow ones. */
export const CONSOLE_STYLE = `
body.console{display:grid;grid-template-columns:248px minmax(0,1fr);min-height:100vh}
.sidebar{background:#fff;border-right:1px solid var(--line);padding:16px 12px;position:sticky;top:0;height:100vh;overflow-y:auto;display:flex;flex-direction:column}
.sidebar .brand{display:block;font-weight:700;font-size:1.05rem;color:var(--text);text-decoration:none;padding:4px 10px 0;overflow-wrap:anywhere}
.sidebar .brand-sub{display:block;color:var(--muted);font-size:.75rem;padding:0 10px 12px}
.org-switcher{padding:0 10px 12px}
.nav-open,.nav-open-label{display:none}
.sidebar-body{display:flex;flex-direction:column;flex:1}
.nav-group{margin:14px 10px 4px;font-size:.75rem;font-weight:600;letter-spacing:.04em;text-transform:uppercase;color:var(--muted)}
.sidebar nav ul{list-style:none;margin:0;padding:0}
.sidebar nav a{display:flex;align-items:center;justify-content:space-between;gap:8px;padding:6px 10px;border-radius:6px;color:var(--text);text-decoration:none}
.sidebar nav a:hover{background:var(--soft);color:var(--text)}
.sidebar nav a[aria-current=page]{background:var(--accent-soft);color:var(--accent-dark);font-weight:600}
.sidebar-user{margin-top:auto;border-top:1px solid var(--line);padding:12px 10px 0;display:flex;flex-direction:column;gap:8px}
.sidebar-user a{color:var(--text);overflow-wrap:anywhere}.sidebar-user form{margin:0}.sidebar-user button{margin:0;width:100%}
body.console>main{padding:24px 32px 48px;min-width:0;max-width:1200px;width:100%}
.console-panel{position:relative;background:#fff;border:1px solid var(--line);border-radius:var(--radius);padding:24px;overflow-x:auto}
.console-panel>.warning:first-child{margin-top:0}
@media (max-width:900px){
body.console{display:block}
.sidebar{position:static;height:auto;flex-direction:row;flex-wrap:wrap;align-items:center;padding:10px 12px;border-right:0;border-bottom:1px solid var(--line)}
.sidebar .brand{flex:1;padding:0 4px}.sidebar .brand-sub{display:none}
.nav-open{display:block}.nav-open-label{display:inline-block;margin:0;font-weight:500;padding:5px 12px;border:1px solid var(--line);border-radius:6px;cursor:pointer;background:#fff}
.nav-open:focus-visible+.nav-open-label{outline:2px solid var(--accent);outline-offset:2px}
.sidebar-body{display:none;flex:0 0 100%;padding-top:8px}
.nav-open:checked~.sidebar-body{display:flex}
body.console>main{padding:12px}
.console-panel{padding:16px}
}
`;
