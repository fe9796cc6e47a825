/** What every handler of one request knows: who asks, with which role, and how to answer with a page. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type { RecordDatabase } from '../archive/record-schema';
import type { WebConfig } from '../config/web-schema';
import type { Logger } from '../util/log';
import type { FailureLimiter } from './auth/rate-limit';
import type { Session, SessionStore } from './auth/sessions';
import type { ConsoleUser } from './auth/users';
import type { ConsoleDeps } from './deps';
import type { NavItem } from './layout';
import type { PageResult, Role } from './page';

export interface ConsoleState {
  web: WebConfig;
  db: Kysely<RecordDatabase>;
  deps: ConsoleDeps;
  log: Logger;
  users: ReadonlyMap<string, ConsoleUser>;
  sessions: SessionStore;
  limits: { ip: FailureLimiter; user: FailureLimiter };
  nav: readonly NavItem[];
  /** Where sign-in lands: the first page of the navigation. */
  home: string;
  now: () => Date;
}

export interface RequestInfo {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  path: string;
  cookies: Map<string, string>;
  session: Session | undefined;
  /** null: not signed in and no public mode. */
  role: Role | null;
  https: boolean;
  ip: string;
  csrfToken: string;
  page(status: number, result: PageResult): void;
}

export const SESSION_COOKIE = 'fw_session';
export const PRE_SESSION_COOKIE = 'fw_pre';
