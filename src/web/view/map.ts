/**
 * Inline SVG maps for the console's pages, drawn by the e-mail map's renderer (alerting/channels/map/scene.ts)
 * so a trip looks the same in the morning e-mail and on its page. Archived positions become scene tracks,
 * split at reception gaps and thinned so a ten-hour trip stays a few dozen kilobytes of SVG.
 */
import { renderScene, splitAtGaps, type LonLat, type MapScene, type SceneTrack } from '../../alerting/channels/map';
import { html, raw, type SafeHtml } from '../html';

export interface MapPosition {
  /** Epoch ms. */
  t: number;
  lat: number;
  lon: number;
  trackDeg?: number | null;
}

/** Most points kept per track piece: beyond this the line looks the same and the page only gets heavier. */
const MAX_POINTS = 120;

function thin(piece: LonLat[], max: number): LonLat[] {
  if (piece.length <= max) return piece;
  const step = (piece.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => piece[Math.round(i * step)]!);
}

/** Positions (any order) as a track: split at gaps, thinned, headed by the last position's track. */
export function positionsTrack(positions: readonly MapPosition[], label: string): SceneTrack | null {
  const ok = positions.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon)).sort((a, b) => a.t - b.t);
  if (ok.length === 0) return null;
  const pieces = splitAtGaps(ok.map((p) => ({ p: [p.lon, p.lat] as LonLat, t: p.t })));
  const perPiece = Math.max(2, Math.floor(MAX_POINTS / pieces.length));
  return { pieces: pieces.map((p) => thin(p, perPiece)), heading: ok[ok.length - 1]?.trackDeg ?? null, label };
}

/** The scene as a responsive inline SVG in a <figure>, or a sentence saying why there is no map. */
export function inlineMap(scene: MapScene | null, caption: string, size = { width: 900, height: 520 }): SafeHtml {
  const map = scene ? renderScene(scene, { ...size, responsive: true }) : null;
  if (!map) return html`<p class="no-map">No position or airport to draw a map from.</p>`;
  return html`<figure class="map">
    ${raw(map.svg)}
    <figcaption>${caption}</figcaption>
  </figure>`;
}
