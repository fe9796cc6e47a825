/**
 * Every archive migration, in order. Names sort in the order they run ("NNN-what"); a release knows the
 * names up to its own, so a database with a name not in this list was migrated by a newer release.
 * Add a migration by appending one line; never rename or edit a released one.
 */
import type { Migration } from 'kysely';
import * as initial from './001-initial';
import * as record from './002-record';
import * as legLookups from './003-leg-lookups';
import * as identityLinks from './007-identity-links';
import * as consoleLists from './008-console-lists';
import * as reportDays from './009-report-days';
import * as reportDepartures from './005-report-departures';
import * as discovery from './006-discovery';

export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '001-initial': initial,
  '002-record': record,
  '003-leg-lookups': legLookups,
  '007-identity-links': identityLinks,
  '008-console-lists': consoleLists,
  '009-report-days': reportDays,
  '005-report-departures': reportDepartures,
  '006-discovery': discovery,
};

export const LATEST_MIGRATION = Object.keys(MIGRATIONS).sort().at(-1) ?? '';
