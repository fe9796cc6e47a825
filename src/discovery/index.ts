/** Discovery: unlisted aircraft that behave like removal charters (docs/discovery.md). */
export * from './sighting';
export * from './score';
export * from './decide';
export * from './store';
export * from './finder';
export * from './tables';
