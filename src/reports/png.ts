/** Report charts as PNG, for e-mail clients that do not show inline SVG (most of them). */
import { svgToPng } from '../alerting/channels/render/png';
import type { Chart } from './charts';

export const chartPng = (chart: Chart): Buffer => svgToPng(chart.svg);
