/**
 * The demo's partner endpoint: an HTTP server on a free loopback port that checks each request's Standard
 * Webhooks signature with the independent `standardwebhooks` library and writes what arrived (headers,
 * verification result, payload) as one JSON file per webhook-id.
 */
import { createServer } from 'node:http';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface DemoWebhookReceiver {
  url: string;
  files: string[];
  verified: number;
  close(): Promise<void>;
}

export async function startDemoWebhookReceiver(dir: string, secret: string): Promise<DemoWebhookReceiver> {
  mkdirSync(dir, { recursive: true });
  const wh = new Webhook(secret);
  const state: DemoWebhookReceiver = { url: '', files: [], verified: 0, close: () => Promise.resolve() };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let payload: unknown;
      let verified = false;
      let error: string | undefined;
      try {
        payload = wh.verify(raw, req.headers as Record<string, string>);
        verified = true;
        state.verified++;
      } catch (e) {
        error = (e as Error).message;
        payload = JSON.parse(raw);
      }
      const id = String(req.headers['webhook-id'] ?? `unsigned-${state.files.length + 1}`).replace(
        /[^A-Za-z0-9_-]/g,
        '_',
      );
      const file = join(dir, `${String(state.files.length + 1).padStart(2, '0')}-${id}.json`);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => k.startsWith('webhook-') || k === 'content-type'),
      );
      writeFileSync(file, JSON.stringify({ verified, ...(error ? { error } : {}), headers, payload }, null, 2) + '\n');
      state.files.push(file);
      res.writeHead(verified ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/flightwatch`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
