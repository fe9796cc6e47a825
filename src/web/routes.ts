/**
 * The console's page table: one line per page. `nav` puts it in the navigation (in this order; the first is
 * where sign-in lands); `minRole` is the least role that may open it ('public' = readable in public mode).
 * A page of the contract (src/web/page.ts) goes in `page`; one that needs the console's own dependencies
 * (watchlist, worker health) in `make`.
 */
import type { ConsoleDeps } from './deps';
import type { Page, Role } from './page';
import { reviewPage } from './pages/review';
import { nowPage } from './pages/now';
import { tripsPage } from './pages/trips';
import { tripPage } from './pages/trip';
import { legsPage } from './pages/legs';
import { reportPage } from './pages/report';
import { aircraftPage } from './pages/aircraft';
import { watchlistPage } from './pages/watchlist';
import { candidatesPage } from './pages/candidates';
import { healthPage } from './pages/health';

export interface PageRoute {
  path: string;
  nav?: string;
  minRole: Role;
  page?: Page;
  make?: (deps: ConsoleDeps) => Page;
}

export const PAGE_ROUTES: readonly PageRoute[] = [
  { path: '/', nav: 'Now', minRole: 'public', page: nowPage },
  { path: '/trips', nav: 'Trips', minRole: 'public', page: tripsPage },
  { path: '/trips/:id', minRole: 'public', page: tripPage },
  { path: '/legs', nav: 'Legs', minRole: 'public', page: legsPage },
  { path: '/report', nav: 'Report', minRole: 'public', make: reportPage },
  { path: '/review', nav: 'Review', minRole: 'reviewer', page: reviewPage },
  { path: '/watchlist', nav: 'Watchlist', minRole: 'public', make: watchlistPage },
  { path: '/candidates', nav: 'Candidates', minRole: 'viewer', page: candidatesPage },
  { path: '/aircraft/:hex', minRole: 'public', make: aircraftPage },
  { path: '/health', nav: 'Health', minRole: 'viewer', make: healthPage },
];

const RANK: Record<Role, number> = { public: 0, viewer: 1, reviewer: 2, admin: 3 };

export const mayOpen = (role: Role, least: Role): boolean => RANK[role] >= RANK[least];

export interface CompiledRoute {
  route: PageRoute;
  page: Page;
  match(path: string): Record<string, string> | undefined;
}

/** `/trips/:id` → a matcher giving { id }; segments are percent-decoded, a malformed one never matches. */
export function compile(route: PageRoute, deps: ConsoleDeps): CompiledRoute {
  const parts = route.path.split('/').slice(1);
  const page = route.page ?? route.make?.(deps);
  if (!page) throw new Error(`console route ${route.path} has neither page nor make`);
  return {
    route,
    page,
    match(path) {
      const segs = path.split('/').slice(1);
      if (segs.length !== parts.length) return undefined;
      const params: Record<string, string> = {};
      for (let i = 0; i < parts.length; i++) {
        const want = parts[i] ?? '';
        const got = segs[i] ?? '';
        if (want.startsWith(':')) {
          if (!got) return undefined;
          try {
            params[want.slice(1)] = decodeURIComponent(got);
          } catch {
            return undefined;
          }
        } else if (want !== got) return undefined;
      }
      return params;
    },
  };
}
