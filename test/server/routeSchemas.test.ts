/**
 * The routes' schemas: GET /api/openapi.json describes exactly the routes the app registers,
 * and a query parameter no schema names is refused (400 naming it), not ignored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.stop());

/** Express 5's router (the `router` package, 2.3+), which @types/express does not describe yet. */
interface ListedRouter {
  listRoutes(): { path: string | RegExp; methods: string[] | undefined; router: ListedRouter | undefined }[];
}

/** `METHOD /path` of every route registered in `router` and the routers mounted in it. */
function registeredRoutes(router: ListedRouter, prefix = ''): string[] {
  return router.listRoutes().flatMap(({ path, methods = [], router: mounted }) => {
    if (typeof path !== 'string') throw new Error(`a route path the OpenAPI document cannot name: ${String(path)}`);
    const full = `${prefix}${path === '/' && mounted ? '' : path}`;
    if (mounted) return registeredRoutes(mounted, full);
    // Express answers HEAD with the GET route: not a route of its own.
    return methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${full}`);
  });
}

function documentedRoutes(document: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
}

describe('GET /api/openapi.json', () => {
  it('needs the admin token', async () => {
    expect((await fetch(`${server.url}/api/openapi.json`)).status).toBe(401);
  });

  it('describes every route the app registers, and no other', async () => {
    const res = await server.api('/api/openapi.json');
    expect(res.status).toBe(200);
    const document = await res.json();
    expect(document.openapi).toBe('3.1.0');
    const registered = new Set(registeredRoutes((server.replay.app as unknown as { router: ListedRouter }).router));
    expect(registered.size).toBeGreaterThan(10);
    expect(new Set(documentedRoutes(document))).toEqual(registered);
  });

  it('takes the query parameters from the schemas the routes validate with', async () => {
    const document = await (await server.api('/api/openapi.json')).json();
    const list = document.paths['/api/sessions'].get.parameters as { name: string; in: string; schema: { enum?: string[] } }[];
    expect(list.find((p) => p.name === 'sort')?.schema.enum).toContain('length');
    expect(list.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'minLengthMs', 'hasErrors', 'status']));
    const byId = document.paths['/api/sessions/{id}'].get.parameters;
    expect(byId).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(Object.keys(document.paths['/api/ingest'].post.requestBody.content['application/json'].schema.properties)).toContain('sessionId');
  });
});

describe('unknown query parameters', () => {
  // A misspelt filter, which used to be ignored: the answer then held every session.
  it.each(['/api/sessions', '/api/sessions.ndjson', '/api/sessions.csv', '/api/stats'])('are refused by %s with a 400 naming them', async (route) => {
    const res = await server.api(`${route}?sigal=rage`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: 'invalid_query', message: 'sigal: unknown parameter' } });
  });
});
