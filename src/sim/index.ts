/** Synthetic great-circle traces (tests, demos, route prediction). */
export * from './great-circle';
export * from './trace';
export * from './polls';
