/**
 * The page around every console page: skip link, the navigation (the pages the route table mounts), the
 * aircraft lookup, who is signed in with the logout button, then the page under its <h1> — the layout
 * renders the page's title as the one <h1>; a page body starts with its content (h2 for sections).
 */
import { html, raw, type SafeHtml } from './html';
import type { Role } from './page';
import { ASSET_URLS } from './assets';

export interface NavItem {
  href: string;
  label: string;
}

export interface LayoutInput {
  title: string;
  body: string;
  nav: readonly NavItem[];
  /** Path of this request, to mark the current nav item. */
  path: string;
  role: Role | null;
  user: string | null;
  csrfToken: string;
}

const isCurrent = (item: NavItem, path: string) =>
  item.href === '/' ? path === '/' : path === item.href || path.startsWith(`${item.href}/`);

function who(o: LayoutInput): SafeHtml {
  if (o.user)
    return html`<div class="who">
      <span>Signed in as <strong>${o.user}</strong> (${o.role})</span>
      <form method="post" action="/logout">
        <input type="hidden" name="csrf" value="${o.csrfToken}" />
        <button type="submit">Sign out</button>
      </form>
    </div>`;
  if (o.role === 'public') return html`<div class="who"><span>Public view</span><a href="/login">Sign in</a></div>`;
  return html``;
}

export function renderLayout(o: LayoutInput): string {
  const signedIn = o.role !== null;
  const nav = signedIn
    ? html`<nav class="main" aria-label="Console">
          <ul>
            ${o.nav.map(
              (n) =>
                html`<li>
                  <a href="${n.href}" ${isCurrent(n, o.path) ? raw('aria-current="page"') : ''}>${n.label}</a>
                </li>`,
            )}
          </ul>
        </nav>
        <form class="lookup" method="get" action="/aircraft" role="search">
          <label for="lookup-hex" class="skip">Aircraft ICAO hex</label>
          <input id="lookup-hex" name="hex" type="text" placeholder="Aircraft hex" autocomplete="off" />
          <button type="submit">Open</button>
        </form>`
    : '';
  return `<!doctype html>${html`<html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>${o.title} · flightwatch</title>
      <link rel="stylesheet" href="${ASSET_URLS.css}" />
      <script src="${ASSET_URLS.js}" defer></script>
    </head>
    <body>
      <a class="skip" href="#main">Skip to content</a>
      <header class="top">
        <div class="bar">
          <a class="brand" href="/">flightwatch</a>
          ${nav} ${who(o)}
        </div>
      </header>
      <main id="main">
        <h1>${o.title}</h1>
        ${raw(o.body)}
      </main>
      <footer class="foot">flightwatch console · times in UTC</footer>
    </body>
  </html>`.toString()}`;
}
