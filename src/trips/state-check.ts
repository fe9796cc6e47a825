/**
 * The trips entry's parts checked by hand, before state.ts's zod schemas. With the Redis track store every
 * aircraft's entry is read afresh on every step, and a zod parse of the trip (a copy of every object in it)
 * cost more CPU and garbage per position than the rest of the read.
 *
 * Each check accepts only what its schema accepts, and only with no key the schema does not name (zod would
 * strip those): an entry it accepts is used as it is. Anything else goes to the schema, which has the last word
 * (state.ts), so the result is the schema's either way; the tests hold the two to that. (Plain booleans, not
 * type guards: the types live in state.ts, which imports this file.)
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown): boolean => v === undefined || num(v);
const str = (v: unknown): v is string => typeof v === 'string';
const strOrNull = (v: unknown): boolean => v === null || typeof v === 'string';
const optBool = (v: unknown): boolean => v === undefined || typeof v === 'boolean';
const strings = (v: unknown): boolean => Array.isArray(v) && v.every(str);

/** No key outside `names`. */
function only(o: Obj, names: ReadonlySet<string>): boolean {
  for (const k in o) if (!names.has(k)) return false;
  return true;
}

const AIRPORT_KEYS = new Set(['icao', 'iata', 'name', 'country', 'tz', 'lat', 'lon', 'distanceNm']);
function isAirportRef(v: unknown): boolean {
  return (
    isObj(v) &&
    str(v.icao) &&
    (v.iata === undefined || str(v.iata)) &&
    str(v.name) &&
    str(v.country) &&
    (v.tz === undefined || str(v.tz)) &&
    num(v.lat) &&
    num(v.lon) &&
    optNum(v.distanceNm) &&
    only(v, AIRPORT_KEYS)
  );
}

/** A map point as stored (state.ts's TrackPoint); its schema checks points with this too. */
export const isTrackPoint = (p: unknown): boolean =>
  Array.isArray(p) &&
  p.length === 5 &&
  num(p[0]) &&
  num(p[1]) &&
  num(p[2]) &&
  (p[3] === null || num(p[3])) &&
  num(p[4]);

const LEG_KEYS = new Set(['from', 'to', 'departedAt', 'arrivedAt', 'inferred', 'src', 'pts', 'gap']);
function isTripLeg(v: unknown): boolean {
  return (
    isObj(v) &&
    (v.from === null || isAirportRef(v.from)) &&
    (v.to === undefined || v.to === null || isAirportRef(v.to)) &&
    (v.departedAt === null || num(v.departedAt)) &&
    optNum(v.arrivedAt) &&
    optBool(v.inferred) &&
    str(v.src) &&
    Array.isArray(v.pts) &&
    v.pts.every(isTrackPoint) &&
    num(v.gap) &&
    only(v, LEG_KEYS)
  );
}

const TRIP_KEYS = new Set(['id', 'status', 'origin', 'legs', 'countries', 'announced', 'closedAt', 'closeReason']);
const CLOSE_REASONS = new Set(['returned', 'ground-stop-limit', 'new-trip']);
export function isTrip(v: unknown): boolean {
  return (
    isObj(v) &&
    str(v.id) &&
    (v.status === 'open' || v.status === 'closed') &&
    strOrNull(v.origin) &&
    Array.isArray(v.legs) &&
    v.legs.every(isTripLeg) &&
    strings(v.countries) &&
    typeof v.announced === 'boolean' &&
    optNum(v.closedAt) &&
    (v.closeReason === undefined || (str(v.closeReason) && CLOSE_REASONS.has(v.closeReason))) &&
    only(v, TRIP_KEYS)
  );
}

const EMITTED_KEYS = new Set(['destination', 'icao', 'p', 'eta', 'at']);
const isEmitted = (v: unknown): boolean =>
  isObj(v) && str(v.destination) && str(v.icao) && num(v.p) && num(v.eta) && num(v.at) && only(v, EMITTED_KEYS);
const isPrior = (v: unknown): boolean => Array.isArray(v) && v.length === 3 && str(v[0]) && num(v[1]) && num(v[2]);

const PREDICTION_KEYS = new Set(['key', 'dep', 'evalAt', 'streak', 'emitted', 'from', 'prior', 'threshold']);
export function isLegPrediction(v: unknown): boolean {
  return (
    isObj(v) &&
    num(v.key) &&
    strOrNull(v.dep) &&
    num(v.evalAt) &&
    isObj(v.streak) &&
    Object.values(v.streak).every(num) &&
    Array.isArray(v.emitted) &&
    v.emitted.every(isEmitted) &&
    (v.from === undefined || strings(v.from)) &&
    (v.prior === undefined || (Array.isArray(v.prior) && v.prior.every(isPrior))) &&
    optNum(v.threshold) &&
    only(v, PREDICTION_KEYS)
  );
}
