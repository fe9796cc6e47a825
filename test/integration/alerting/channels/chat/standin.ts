/**
 * A local stand-in for a platform's HTTP API: the test supplies the contract (a route function that checks
 * the path, auth header and payload as the platform documents them and answers as the platform does); every
 * request is recorded with its body parsed (JSON, multipart form via the WHATWG Request parser, or raw bytes).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DeliveryError } from '../../../../../src/alerting/channel';

export interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  json?: unknown;
  form?: FormData;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface StandIn {
  url: string;
  requests: Captured[];
  close(): Promise<void>;
}

export async function startStandIn(route: (r: Captured) => Reply | Promise<Reply>): Promise<StandIn> {
  const requests: Captured[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const raw = Buffer.concat(chunks);
        const type = String(req.headers['content-type'] ?? '');
        const c: Captured = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw };
        if (type.startsWith('application/json')) c.json = JSON.parse(raw.toString('utf8'));
        if (type.startsWith('multipart/form-data'))
          c.form = await new Request('http://x/', {
            method: 'POST',
            headers: { 'content-type': type },
            body: raw,
          }).formData();
        requests.push(c);
        const r = await route(c);
        const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        res.writeHead(r.status, {
          'content-type': typeof r.body === 'string' ? 'text/plain' : 'application/json',
          ...r.headers,
        });
        res.end(body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function deliveryError(p: Promise<unknown>): Promise<DeliveryError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DeliveryError) return e;
    throw e;
  }
  throw new Error('expected a DeliveryError');
}

/** Bytes of a PNG file start with this signature. */
export const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47]);

/** A text field of a multipart form ('' when absent or a file). */
export const field = (form: FormData | undefined, name: string): string => {
  const v = form?.get(name);
  return typeof v === 'string' ? v : '';
};

export async function fileBytes(v: ReturnType<FormData['get']> | undefined): Promise<Buffer> {
  if (!v || typeof v === 'string') throw new Error('expected a file part');
  return Buffer.from(await v.arrayBuffer());
}
