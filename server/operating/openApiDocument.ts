/**
 * Builds the OpenAPI 3.1 document from route descriptions whose query and body schemas are the
 * zod schemas the routes validate with (zod's JSON Schema output, input side: what a client sends).
 */
import { z } from 'zod';
import { ADMIN_COOKIE } from '../auth/adminAuth';
import { SHARE_COOKIE } from '../auth/shareAccess';

/** One route as the OpenAPI document shows it. */
export interface RouteDoc {
  method: 'get' | 'post' | 'put' | 'delete' | 'options';
  /** As Express writes it: `/api/sessions/:id`. */
  path: string;
  summary: string;
  /**
   * `admin`: needs the admin token (Bearer or the login cookie); `shared`: that, or the cookie a
   * share link of the session sets.
   */
  access: 'open' | 'admin' | 'shared';
  query?: z.ZodObject;
  /** The request body: its media type and, when it is JSON, its schema. */
  body?: { type: string; schema?: z.ZodType };
  /** Status → what it means; 4xx and 5xx answer the JSON error shape. */
  responses: Record<number, string>;
  /** The success answer's media type. */
  produces: string;
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return rest;
}

/** Express's `:name` segments as OpenAPI's `{name}`. */
function openApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, '{$1}');
}

function parameters(route: RouteDoc) {
  const inPath = [...route.path.matchAll(/:(\w+)/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
  if (!route.query) return inPath;
  const { properties = {}, required = [] } = jsonSchema(route.query) as { properties?: Record<string, unknown>; required?: string[] };
  const inQuery = Object.entries(properties).map(([name, schema]) => ({ name, in: 'query', required: required.includes(name), schema }));
  return [...inPath, ...inQuery];
}

function operation(route: RouteDoc) {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, description]) => [
      status,
      Number(status) >= 400
        ? { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }
        : { description, ...(Number(status) === 204 ? {} : { content: { [route.produces]: {} } }) },
    ]),
  );
  return {
    summary: route.summary,
    parameters: parameters(route),
    ...(route.body && {
      requestBody: { required: true, content: { [route.body.type]: route.body.schema ? { schema: jsonSchema(route.body.schema) } : {} } },
    }),
    responses,
    security: route.access === 'open' ? [] : [{ bearer: [] }, { cookie: [] }, ...(route.access === 'shared' ? [{ share: [] }] : [])],
  };
}

/** The whole document. */
export function openApiDocument(routes: readonly RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) (paths[openApiPath(route.path)] ??= {})[route.method] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'Session replay', version },
    paths,
    components: {
      schemas: { Error: ERROR_SCHEMA },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'the admin token' },
        cookie: { type: 'apiKey', in: 'cookie', name: ADMIN_COOKIE, description: 'set by /login' },
        share: { type: 'apiKey', in: 'cookie', name: SHARE_COOKIE, description: "set by a share link (/s/{token}): that one session's reads" },
      },
    },
  };
}
