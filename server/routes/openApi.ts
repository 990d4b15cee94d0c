/** `GET /api/openapi.json`: the OpenAPI 3.1 description of every route (behind the admin token, like all of /api). */
import { Router } from 'express';
import packageJson from '../../package.json';
import { openApiDocument } from '../operating/openApiDocument';
import { ROUTE_DOCS } from './routeDocs';

export function openApiRouter(): Router {
  const router = Router();
  const document = openApiDocument(ROUTE_DOCS, packageJson.version);
  router.get('/api/openapi.json', (_req, res) => {
    res.json(document);
  });
  return router;
}
