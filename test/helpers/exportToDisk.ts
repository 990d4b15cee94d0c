/** Exported replays on disk, as a viewer saves them. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import type { TestServer } from './server';

/** Downloads session `id`'s export into a temp file; resolves to its file: URL. */
export async function exportToDisk(server: TestServer, id: string): Promise<string> {
  const res = await server.api(`/api/sessions/${id}/export.html`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain(`session-${id}.html`);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'replay-export-')), 'export.html');
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return pathToFileURL(file).href;
}
