import { describe, expect, it } from 'vitest';
import { REDACTED } from '../../recorder/redactBody';
import { redactRequest } from '../../recorder/redactRequest';

const OPTIONS = { ingestUrl: 'https://replay.example/api/ingest', networkBodies: false, networkBodyMaxChars: 1_000 };

function request(requestHeaders: Record<string, string>, responseHeaders: Record<string, string>) {
  return { name: 'https://shop.example/api/cart', method: 'POST', status: 200, requestHeaders, responseHeaders };
}

describe('redactRequest', () => {
  it('redacts Authorization, Proxy-Authorization, Cookie and Set-Cookie in requests and responses, in any case', () => {
    const recorded = redactRequest(
      request(
        { Authorization: 'Bearer abc', 'PROXY-AUTHORIZATION': 'Basic eDp5', cookie: 'sid=1', 'Content-Type': 'application/json' },
        { 'Set-Cookie': 'sid=2; HttpOnly', 'SET-COOKIE': 'sid=3', 'set-cookie': 'sid=4', authorization: 'x', COOKIE: 'y', ETag: '"v1"' },
      ),
      OPTIONS,
    );
    expect(recorded?.requestHeaders).toEqual({
      Authorization: REDACTED,
      'PROXY-AUTHORIZATION': REDACTED,
      cookie: REDACTED,
      'Content-Type': 'application/json',
    });
    expect(recorded?.responseHeaders).toEqual({
      'Set-Cookie': REDACTED,
      'SET-COOKIE': REDACTED,
      'set-cookie': REDACTED,
      authorization: REDACTED,
      COOKIE: REDACTED,
      ETag: '"v1"',
    });
  });

  it('keeps the rest of the request, with no bodies unless the site opted in', () => {
    const sent = { ...request({}, {}), requestBody: '{"password":"p","q":1}', responseBody: 'ok' };
    expect(redactRequest(sent, OPTIONS)).toEqual({ ...request({}, {}), requestBody: undefined, responseBody: undefined });
    expect(redactRequest(sent, { ...OPTIONS, networkBodies: true })).toMatchObject({
      requestBody: `{"password":"${REDACTED}","q":1}`,
      responseBody: 'ok',
    });
  });

  it('never records the replay server’s own requests', () => {
    expect(redactRequest({ ...request({}, {}), name: `${OPTIONS.ingestUrl}?project=demo` }, OPTIONS)).toBeUndefined();
  });
});
