/** Great-circle distance, the only geometry detection needs; the one implementation lives in places/geo. */
export { haversineNm } from '../places/geo';
