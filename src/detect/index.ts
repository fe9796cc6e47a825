/** Detection: track state, event rules, track stores. See docs/events.md. */
export type { Detector, DetectorExtension, DetectorExtensionContext, DetectorExtensionFactory } from './types';
export { createDetector, createLinker, byTime, type DetectorOptions, type FlightDetector } from './detector';
export { IdentityLinker, type IdentityMemory, type IdentitySighting } from './identity';
export { MemoryIdentityMemory } from './identity-memory';
export { RedisIdentityMemory } from './identity-redis';
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
