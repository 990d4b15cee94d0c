/** `GET /api/sessions.ndjson` and `.csv`: every matching session, streamed page by page. */
import { Router, type Response } from 'express';
import type { SessionSummary } from '../../shared/api';
import { CSV_COLUMNS, csvLine, sessionCsvLine } from '../export/csv';
import type { Storage } from '../storage/storage';
import { parseListQuery } from './sessions';
import { writeText } from '../http/stream';

/** Rows read per query while exporting: big enough to be quick, small enough to stay flat in memory. */
const EXPORT_PAGE_ROWS = 1_000;

export function exportRouter({ storage, now }: { storage: Storage; now: () => number }): Router {
  const router = Router();

  const exportAs = (type: string, extension: string, header: string, line: (s: SessionSummary) => string) => {
    router.get(`/api/sessions.${extension}`, async (req, res: Response) => {
      const query = { ...parseListQuery(req.query), limit: EXPORT_PAGE_ROWS };
      // attachment() sets a type from the extension; ours comes after it.
      res.attachment(`sessions.${extension}`);
      res.type(type);
      if (header && !(await writeText(res, header))) return;
      for await (const page of storage.scanSessions(query, now())) {
        if (!(await writeText(res, page.map(line).join('')))) return;
      }
      res.end();
    });
  };
  exportAs('application/x-ndjson', 'ndjson', '', (s) => `${JSON.stringify(s)}\n`);
  exportAs('text/csv', 'csv', csvLine(CSV_COLUMNS), sessionCsvLine);
  return router;
}
