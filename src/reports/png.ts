/** SVG chart → PNG for e-mail clients that do not show inline SVG (most of them). */
import { Resvg } from '@resvg/resvg-js';
import type { Chart } from './charts';

export function chartPng(chart: Chart): Buffer {
  const png = new Resvg(chart.svg, {
    fitTo: { mode: 'original' },
    // System fonts only (no font service): DejaVu Sans is what the Docker image and Debian install.
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  })
    .render()
    .asPng();
  return Buffer.from(png);
}
