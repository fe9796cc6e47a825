/** Detection: track state, event rules, track stores. See docs/events.md. */
export type { Detector, DetectorExtension, DetectorExtensionContext, DetectorExtensionFactory } from './types';
export { createDetector, byTime, type DetectorOptions, type FlightDetector } from './detector';
export { Rules, SQUAWK_MEANINGS, evidenceOf } from './rules';
export { Places, toRef, type DestinationMatch } from './places';
export { eventId, eventBucket, transitionId } from './event-id';
export { haversineNm } from '../geo/sphere';
export * from './track-state';
export type { TrackStore, TrackStep } from './store/track-store';
export { TrackStoreConflictError } from './store/track-store';
export { MemoryTrackStore } from './store/memory-store';
export { RedisTrackStore, type RedisTrackStoreOptions } from './store/redis-store';
export { RedisDetectionOutbox, outboxKey, type DetectionOutbox, type PendingDetection } from './store/detection-outbox';
