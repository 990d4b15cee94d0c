/**
 * A round-robin load balancer in front of several server nodes, as an operator would put
 * nginx or HAProxy: each request goes to the next node in turn, so consecutive batches of one
 * session land on different nodes. It keeps every ingest request it passed on, with the node
 * that took it, so a test can replay the same batches elsewhere.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardedIngest {
  node: number;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface Balancer {
  url: string;
  /** The ingest requests passed on, in the order they arrived. */
  ingests: ForwardedIngest[];
  close(): Promise<void>;
}

/** Headers that describe one hop's connection, not the request. */
const HOP_HEADERS = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export async function startBalancer(nodeUrls: string[]): Promise<Balancer> {
  const ingests: ForwardedIngest[] = [];
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const node = next;
      next = (next + 1) % nodeUrls.length;
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        if (!HOP_HEADERS.has(name) && typeof value === 'string') headers[name] = value;
      }
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
      fetch(`${nodeUrls[node]}${req.url}`, { method: req.method, headers, body: hasBody ? body : undefined, redirect: 'manual' })
        .then(async (answer) => {
          const payload = Buffer.from(await answer.arrayBuffer());
          if (req.method === 'POST' && req.url?.startsWith('/api/ingest')) ingests.push({ node, status: answer.status, headers, body });
          const out: Record<string, string> = {};
          answer.headers.forEach((value, name) => {
            if (!HOP_HEADERS.has(name) && name !== 'content-encoding') out[name] = value;
          });
          res.writeHead(answer.status, out).end(payload);
        })
        .catch(() => res.writeHead(502).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ingests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
