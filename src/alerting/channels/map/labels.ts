/**
 * Greedy label placement: each label tries a few spots around its anchor and takes the first that overlaps
 * nothing already placed (labels and reserved marks) and stays inside the frame; a label with no free spot
 * is dropped. Widths are estimated from character counts (no font metrics without a browser).
 */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PlacedLabel {
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

const overlaps = (a: Box, b: Box): boolean => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Rough advance width of DejaVu Sans: ~0.6 em per character. */
export const textWidth = (text: string, fontSize: number): number => text.length * fontSize * 0.6;

export class LabelPlacer {
  private readonly taken: Box[] = [];

  constructor(private readonly frame: Box) {}

  /** Keeps labels off a mark (an airport ring, the aircraft). */
  reserve(box: Box): void {
    this.taken.push(box);
  }

  reserveAround(x: number, y: number, r: number): void {
    this.reserve({ x0: x - r, y0: y - r, x1: x + r, y1: y + r });
  }

  /** Places `text` near (x, y), offset by `gap` px; null when every spot collides. */
  place(x: number, y: number, text: string, fontSize: number, gap: number): PlacedLabel | null {
    const w = textWidth(text, fontSize);
    const h = fontSize;
    const spots: PlacedLabel[] = [
      { x: x + gap, y: y + h / 3, anchor: 'start' },
      { x: x - gap, y: y + h / 3, anchor: 'end' },
      { x, y: y - gap, anchor: 'middle' },
      { x, y: y + gap + h * 0.8, anchor: 'middle' },
      { x: x + gap * 0.7, y: y - gap * 0.7, anchor: 'start' },
      { x: x - gap * 0.7, y: y + gap * 0.7 + h * 0.8, anchor: 'end' },
    ];
    for (const s of spots) {
      const x0 = s.anchor === 'start' ? s.x : s.anchor === 'end' ? s.x - w : s.x - w / 2;
      const box = { x0: x0 - 2, y0: s.y - h - 1, x1: x0 + w + 2, y1: s.y + 3 };
      if (box.x0 < this.frame.x0 || box.x1 > this.frame.x1 || box.y0 < this.frame.y0 || box.y1 > this.frame.y1)
        continue;
      if (this.taken.some((t) => overlaps(t, box))) continue;
      this.taken.push(box);
      return s;
    }
    return null;
  }

  /** Places a label centred on (x, y), or a line above or below it, or nowhere (state and country names). */
  placeCentred(x: number, y: number, text: string, fontSize: number): PlacedLabel | null {
    const w = textWidth(text, fontSize);
    for (const dy of [0, -1.8 * fontSize, 1.8 * fontSize]) {
      const box = { x0: x - w / 2 - 2, y0: y + dy - fontSize, x1: x + w / 2 + 2, y1: y + dy + 3 };
      if (box.x0 < this.frame.x0 || box.x1 > this.frame.x1 || box.y0 < this.frame.y0 || box.y1 > this.frame.y1)
        continue;
      if (this.taken.some((t) => overlaps(t, box))) continue;
      this.taken.push(box);
      return { x, y: y + dy, anchor: 'middle' };
    }
    return null;
  }
}
