/** Minimal typings for the CommonJS builds of kdbush@3 and geokdbush@1 (neither ships types). */
declare module 'kdbush' {
  class KDBush<T> {
    constructor(
      /** Only indexed and measured: an array-like (a typed array) serves. */
      points: ArrayLike<T>,
      getX: (p: T) => number,
      getY: (p: T) => number,
      nodeSize?: number,
      ArrayType?: Float64ArrayConstructor | Float32ArrayConstructor,
    );
    readonly points: ArrayLike<T>;
    readonly ids: Uint16Array | Uint32Array;
    readonly coords: Float64Array | Float32Array;
    readonly nodeSize: number;
    /** Indices into `points` inside the box. */
    range(minX: number, minY: number, maxX: number, maxY: number): number[];
    within(x: number, y: number, r: number): number[];
  }
  export = KDBush;
}

declare module 'geokdbush' {
  import type KDBush from 'kdbush';
  /** Points nearest to (lng, lat) by great-circle distance, nearest first; maxDistance in km. */
  export function around<T>(
    index: KDBush<T>,
    lng: number,
    lat: number,
    maxResults?: number,
    maxDistance?: number,
    predicate?: (p: T) => boolean,
  ): T[];
  /** Great-circle distance in km. */
  export function distance(lng1: number, lat1: number, lng2: number, lat2: number): number;
}
