/** The console's assets, from the package: a content hash in the URL lets browsers cache them for good. */
import { createHash } from 'node:crypto';
import { CONSOLE_CSS } from './assets/style';
import { CONSOLE_JS } from './assets/script';

export interface Asset {
  body: Buffer;
  type: string;
}

const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['console.css', { body: Buffer.from(CONSOLE_CSS), type: 'text/css; charset=utf-8' }],
  ['console.js', { body: Buffer.from(CONSOLE_JS), type: 'text/javascript; charset=utf-8' }],
]);

export const ASSET_URLS = {
  css: `/assets/console.css?v=${hash(CONSOLE_CSS)}`,
  js: `/assets/console.js?v=${hash(CONSOLE_JS)}`,
};
