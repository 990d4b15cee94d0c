/**
 * Every route the server answers, as GET /api/openapi.json describes it. A route added to the
 * app without an entry here (or an entry without its route) fails test/server/routeSchemas.test.ts.
 */
import { z } from 'zod';
import { batchSchema } from '../ingest/batchSchema';
import type { RouteDoc } from '../operating/openApiDocument';
import { fetchSchema, missingSchema, uploadQuerySchema } from './capturedAssets';
import { listSchema } from './sessions';
import { createShareSchema, noQuerySchema } from './shares';
import { statsSchema } from './stats';

const UNAUTHORIZED = { 401: 'no admin token' };
const SESSION = { 400: 'the id is not a UUID', ...UNAUTHORIZED, 404: 'no such session' };
/** GET /login's parameters, read by adminAuth without a schema of its own: both are optional text. */
const loginQuery = z.object({ token: z.string().optional(), next: z.string().optional() });

/** The snippet's asset routes answer any origin's preflight. */
const assetPreflight = (path: string): RouteDoc => ({
  method: 'options',
  path,
  summary: "CORS preflight of the snippet's asset routes (any origin)",
  access: 'open',
  produces: 'text/plain',
  responses: { 204: 'allowed' },
});

export const ROUTE_DOCS: readonly RouteDoc[] = [
  assetPreflight('/api/assets/missing'),
  {
    method: 'post',
    path: '/api/assets/missing',
    summary: 'Which of these captured-asset hashes the server lacks (one request for many)',
    access: 'open',
    body: { type: 'application/json', schema: missingSchema },
    produces: 'application/json',
    responses: { 200: '{ missing: [hash] }', 400: 'malformed JSON or a bad hash', 403: 'unknown project', 413: 'body past 64 KiB' },
  },
  assetPreflight('/api/assets/fetch'),
  {
    method: 'post',
    path: '/api/assets/fetch',
    summary: 'The server fetches what the page could not read (public addresses only unless REPLAY_ASSET_ALLOW_PRIVATE=1)',
    access: 'open',
    body: { type: 'application/json', schema: fetchSchema },
    produces: 'application/json',
    responses: {
      200: '{ assets: { url: hash } } for what could be captured',
      400: 'malformed JSON or a bad URL',
      403: 'unknown project',
      413: 'body past 64 KiB',
      429: 'more than 10 a second for the project; see Retry-After',
    },
  },
  assetPreflight('/api/assets/:hash'),
  {
    method: 'put',
    path: '/api/assets/:hash',
    summary: 'Upload a captured stylesheet, font or image, named by the SHA-256 of its bytes',
    access: 'open',
    query: uploadQuerySchema,
    body: { type: 'application/octet-stream' },
    produces: 'application/json',
    responses: {
      201: '{ hash }: stored (or already was)',
      400: 'the name is not a SHA-256, or the bytes hash to another',
      403: 'unknown project',
      413: 'past 4 MiB',
      415: 'not a stylesheet, font or image type',
    },
  },
  {
    method: 'get',
    path: '/api/assets/:hash',
    summary: 'A captured asset, immutable (cached for a year)',
    access: 'admin',
    produces: 'application/octet-stream',
    responses: { 200: 'the bytes, with their type', 400: 'the name is not a SHA-256', ...UNAUTHORIZED, 404: 'no such asset' },
  },
  { method: 'get', path: '/healthz', summary: 'Liveness', access: 'open', produces: 'application/json', responses: { 200: '{ ok: true }' } },
  {
    method: 'options',
    path: '/api/ingest',
    summary: 'CORS preflight of ingest (any origin)',
    access: 'open',
    produces: 'text/plain',
    responses: { 204: 'allowed' },
  },
  {
    method: 'post',
    path: '/api/ingest',
    summary:
      'Store one batch of a session (idempotent on sessionId, windowId, seq); also gzip bytes as text/plain, or an envelope ' +
      '("RPE1", the head length as 4 bytes big-endian, a JSON head of the batch fields and their summary, whose fields at their default may be left out, ' +
      'then gzip of {"events":[…]}; "RPE2" the same with the head as raw deflate of that JSON); ' +
      'without userAgent, the request\'s User-Agent header stands for it',
    access: 'open',
    body: { type: 'application/json', schema: batchSchema },
    produces: 'application/json',
    responses: {
      200: '{ ok: true, stored } once the batch is durable; stored is false for a repeat',
      400: 'malformed JSON, bad gzip, a truncated envelope or a schema violation (the message names the field)',
      403: 'unknown project',
      413: 'body past 4 MiB on the wire or 32 MiB inflated',
      429: 'rate limited; see Retry-After',
      503: 'the database cannot be reached; see Retry-After',
    },
  },
  {
    method: 'get',
    path: '/login',
    summary: 'The login form, or log in with ?token= (sets the admin cookie, then redirects to next)',
    access: 'open',
    query: loginQuery,
    produces: 'text/html',
    responses: { 200: 'the form', 303: 'logged in', 401: 'wrong token (the form again, as HTML)' },
  },
  {
    method: 'post',
    path: '/login',
    summary: 'Log in from the form',
    access: 'open',
    body: { type: 'application/x-www-form-urlencoded', schema: loginQuery },
    produces: 'text/html',
    responses: { 303: 'logged in', 401: 'wrong token (the form again, as HTML)' },
  },
  {
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics (open to anyone with METRICS_PUBLIC=1)',
    access: 'admin',
    produces: 'text/plain',
    responses: { 200: 'Prometheus text format', ...UNAUTHORIZED },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    summary: 'This document',
    access: 'admin',
    produces: 'application/json',
    responses: { 200: 'OpenAPI 3.1', ...UNAUTHORIZED },
  },
  {
    method: 'get',
    path: '/api/sessions',
    summary: 'One page of sessions matching the filters, in the chosen order',
    access: 'admin',
    query: listSchema,
    produces: 'application/json',
    responses: { 200: '{ sessions, total, nextCursor }', 400: 'a bad or unknown parameter, named', ...UNAUTHORIZED },
  },
  {
    method: 'get',
    path: '/api/sessions.ndjson',
    summary: 'Every session the filters match, one JSON object a line, streamed',
    access: 'admin',
    query: listSchema,
    produces: 'application/x-ndjson',
    responses: { 200: 'sessions', 400: 'a bad or unknown parameter, named', ...UNAUTHORIZED },
  },
  {
    method: 'get',
    path: '/api/sessions.csv',
    summary: 'Every session the filters match as CSV, streamed',
    access: 'admin',
    query: listSchema,
    produces: 'text/csv',
    responses: { 200: 'sessions', 400: 'a bad or unknown parameter, named', ...UNAUTHORIZED },
  },
  {
    method: 'get',
    path: '/api/sessions/:id',
    summary: 'One session',
    access: 'shared',
    produces: 'application/json',
    responses: { 200: 'the session', ...SESSION },
  },
  {
    method: 'get',
    path: '/api/sessions/:id/events',
    summary:
      'The recording: one { windowId, seq, events } line per stored batch, by window then seq, streamed; with ' +
      '`Accept: application/vnd.replay.chunks`, each stored batch as kept, gzip bytes after a { windowId, seq, bytes } line ' +
      '(its ids and timestamps may be relative: shared/relativeIds.ts decodes them)',
    access: 'shared',
    produces: 'application/x-ndjson',
    responses: { 200: 'the events', ...SESSION },
  },
  {
    method: 'delete',
    path: '/api/sessions/:id',
    summary: 'Delete a session, its recording and its share links',
    access: 'admin',
    produces: 'application/json',
    responses: { 204: 'deleted', ...SESSION },
  },
  {
    method: 'get',
    path: '/api/sessions/:id/export.html',
    summary: 'The session as one HTML file that replays offline (player inline, own CSP), streamed as an attachment',
    access: 'shared',
    query: noQuerySchema,
    produces: 'text/html',
    responses: { 200: 'the file', ...SESSION, 403: 'a share link of another session', 503: 'the export player is not built' },
  },
  {
    method: 'post',
    path: '/api/sessions/:id/shares',
    summary: 'A link that opens this one replay without the admin token, until it expires or is revoked',
    access: 'admin',
    query: noQuerySchema,
    body: { type: 'application/json', schema: createShareSchema },
    produces: 'application/json',
    responses: { 201: '{ id, url, expiresAt }; url is shown only now', ...SESSION, 400: 'a bad id or body' },
  },
  {
    method: 'get',
    path: '/api/sessions/:id/shares',
    summary: "The session's share links, newest first (without their secrets)",
    access: 'admin',
    query: noQuerySchema,
    produces: 'application/json',
    responses: { 200: '{ shares: [{ id, createdAt, expiresAt, expired }] }', ...SESSION },
  },
  {
    method: 'delete',
    path: '/api/shares/:id',
    summary: 'Revoke a share link at once',
    access: 'admin',
    query: noQuerySchema,
    produces: 'application/json',
    responses: { 204: 'revoked', 400: 'the id is not a UUID', ...UNAUTHORIZED, 404: 'no such link' },
  },
  {
    method: 'get',
    path: '/s/:token',
    summary: "Open a share link: sets the share cookie (that one session's replay) and redirects to the replay",
    access: 'open',
    produces: 'text/html',
    responses: { 303: 'to /sessions/{id}', 404: 'expired, revoked or no such link (an HTML page)' },
  },
  {
    method: 'get',
    path: '/api/stats',
    summary: 'Length statistics of the sessions the filters match, optionally under another inactivity timeout',
    access: 'admin',
    query: statsSchema,
    produces: 'application/json',
    responses: { 200: '{ count, averageMs, medianMs, p90Ms, under1mShare, frustratedShare, totalMs, distribution, perDay }', 400: 'a bad or unknown parameter, named', ...UNAUTHORIZED },
  },
  { method: 'get', path: '/recorder.js', summary: 'The snippet', access: 'open', produces: 'text/javascript', responses: { 200: 'the snippet', 503: 'not built' } },
  {
    method: 'get',
    path: '/chunks/:name',
    summary: "A content-hashed chunk the snippet loads on demand (console, network, fflate), cached a year",
    access: 'open',
    produces: 'text/javascript',
    responses: { 200: 'the chunk (br or gzip by Accept-Encoding)', 404: 'no such chunk' },
  },
  { method: 'get', path: '/demo', summary: 'A demo page that records itself', access: 'open', produces: 'text/html', responses: { 200: 'the page' } },
  {
    method: 'get',
    path: '/',
    summary: 'The player: the sessions page (redirects to /login without the admin cookie)',
    access: 'admin',
    produces: 'text/html',
    responses: { 200: 'the player', 302: 'to /login', 503: 'not built' },
  },
  {
    method: 'get',
    path: '/sessions/:id',
    summary: 'The player: one replay (redirects to /login without the admin cookie or a share link of the session)',
    access: 'shared',
    produces: 'text/html',
    responses: { 200: 'the player', 302: 'to /login', 404: 'the id is not a UUID', 503: 'not built' },
  },
];
