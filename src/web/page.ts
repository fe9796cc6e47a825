import type { Kysely } from 'kysely';
import type { RecordDatabase } from '../archive/record-schema';
export type Role = 'public' | 'viewer' | 'reviewer' | 'admin';
export interface PageContext {
  db: Kysely<RecordDatabase>;
  query: URLSearchParams; // the request's query string
  params: Record<string, string>; // path parameters, e.g. { id } for /trips/:id
  role: Role; // 'public' in public read-only mode
  user: string | null;
  csrfToken: string; // put in every <form method=post> as <input type=hidden name=csrf>
  hiddenFields: ReadonlySet<string>; // fields the config hides in public mode (e.g. 'registration')
  now: Date;
}
export interface PageResult {
  title: string;
  body: string;
  status?: number;
} // body: escaped HTML fragment
export type Page = (ctx: PageContext) => Promise<PageResult>;
