/** SVG → PNG with resvg, system fonts only (no font service): e-mail maps and report charts. */
import { Resvg } from '@resvg/resvg-js';

export function svgToPng(svg: string): Buffer {
  const png = new Resvg(svg, {
    fitTo: { mode: 'original' },
    // DejaVu Sans is what the Docker image and Debian install; the SVGs name it first.
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
