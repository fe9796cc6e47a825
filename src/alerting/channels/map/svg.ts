/** SVG snippets shared by the map layers; every text passes through escapeHtml here. */
import { escapeHtml, oneLine } from '../render/sanitize';
import type { PlacedLabel } from './labels';

export const FONT = 'DejaVu Sans, Arial, sans-serif';
export const f = (n: number): string => n.toFixed(1);

export interface TextStyle {
  size: number;
  fill: string;
  weight?: 'normal' | 'bold';
  italic?: boolean;
  /** White halo width; 0 for none. */
  halo?: number;
  spacing?: number;
}

/** A label with a white halo so it reads over borders and the track. */
export function textSvg(at: PlacedLabel, text: string, s: TextStyle, cls?: string): string {
  const t = escapeHtml(oneLine(text, 48));
  const attrs =
    `x="${f(at.x)}" y="${f(at.y)}" font-family="${FONT}" font-size="${s.size}" font-weight="${s.weight ?? 'normal'}"` +
    `${s.italic ? ' font-style="italic"' : ''}${s.spacing ? ` letter-spacing="${s.spacing}"` : ''} text-anchor="${at.anchor}"${cls ? ` class="${cls}"` : ''}`;
  const halo = s.halo ?? 3.5;
  return (
    (halo > 0
      ? `<text ${attrs} fill="none" stroke="#ffffff" stroke-width="${halo}" stroke-linejoin="round" opacity="0.9">${t}</text>`
      : '') + `<text ${attrs} fill="${s.fill}">${t}</text>`
  );
}
