/** Synthetic great-circle traces (tests, demos, route prediction). */
export * from '../geo/great-circle';
export * from './trace';
export * from './polls';
