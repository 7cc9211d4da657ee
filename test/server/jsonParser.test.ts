/**
 * server/jsonParser.ts, the parse step: UTF-8 JSON objects (and arrays, for the validator to refuse) with
 * their text kept for the handler; other charsets, invalid UTF-8 and non-JSON refused with the error
 * table's errors; a body that is not JSON's content type left for the validator (415 → 400 SMS.2005).
 */
import type { RequestHandler } from 'express';
import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonBody, jsonBodyReader, RAW_BODY, type WithRawBody } from '../../server/jsonParser.js';

const parse = jsonBody(10240)[1] as RequestHandler;

/** Runs the parse step on a body as express.raw left it; what it passed to next, and the request after. */
function parsed(body: unknown, contentType = 'application/json') {
  const req = { body, get: (name: string) => (name.toLowerCase() === 'content-type' ? contentType : undefined) } as unknown as Parameters<typeof parse>[0] & WithRawBody;
  let passed: unknown = 'not called';
  parse(req, {} as never, (err?: unknown) => (passed = err));
  return { next: passed, body: (req as { body: unknown }).body, raw: req[RAW_BODY] };
}

describe('the JSON body parser', () => {
  it('parses an object and keeps its text exactly, leading whitespace and all', () => {
    const text = ' \n\t{"command_name":"START","result_detail":{"n":1e999}}';
    expect(parsed(Buffer.from(text))).toEqual({ next: undefined, body: { command_name: 'START', result_detail: { n: Infinity } }, raw: text });
    expect(parsed(Buffer.from('[1]'))).toEqual({ next: undefined, body: [1], raw: '[1]' });
  });

  it.each(['application/json; charset=utf-8', 'application/json; charset=UTF-8', 'application/json;charset="utf8"', "application/json; charset='utf-8'"])(
    'takes %s',
    (contentType) => {
      expect(parsed(Buffer.from('{"a":1}'), contentType)).toMatchObject({ next: undefined, body: { a: 1 } });
    },
  );

  it('answers an empty body as {} with no text, for the validator to name what is missing', () => {
    expect(parsed(Buffer.alloc(0))).toEqual({ next: undefined, body: {}, raw: undefined });
  });

  it('leaves a body that is not JSON (express.raw did not read it) to the validator', () => {
    expect(parsed(undefined, 'text/plain')).toEqual({ next: undefined, body: undefined, raw: undefined });
    expect(parsed({ already: 'parsed' })).toEqual({ next: undefined, body: { already: 'parsed' }, raw: undefined });
  });

  it('refuses another charset, and bytes that are not UTF-8, with SMS.2005', () => {
    const latin1 = parsed(Buffer.from('{"a":1}'), 'application/json; charset=iso-8859-1');
    expect(latin1.next).toMatchObject({ kind: 'unsupportedEncoding', code: 'SMS.2005', message: 'The request body must be UTF-8 JSON: unsupported charset "ISO-8859-1".' });
    const bytes = parsed(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]));
    expect(bytes.next).toMatchObject({ kind: 'unsupportedEncoding', message: 'The request body must be UTF-8 JSON: the body is not valid UTF-8 (invalid byte sequences).' });
    expect(bytes.raw).toBeUndefined();
  });

  it('refuses text that does not start an object or array, and JSON that does not parse, with SMS.2003', () => {
    expect(parsed(Buffer.from('  "a string"')).next).toMatchObject({ kind: 'malformedJson', code: 'SMS.2003', message: 'The request body is not well-formed JSON: Unexpected token "\\"": the body must be a JSON object. Send a JSON object.' });
    expect(parsed(Buffer.from('   ')).next).toMatchObject({ kind: 'malformedJson', message: 'The request body is not well-formed JSON: Unexpected token " ": the body must be a JSON object. Send a JSON object.' });
    const cut = parsed(Buffer.from('{"command_name": "START",'));
    expect(cut.next).toMatchObject({ kind: 'malformedJson', code: 'SMS.2003' });
    expect((cut.next as Error).message).toMatch(/^The request body is not well-formed JSON: .*JSON.*\. Send a JSON object\.$/);
    expect(cut.raw).toBeUndefined();
  });

  it.each([
    ['a lone high surrogate in a string', '{"name":"a\\ud800b"}', 'body.name'],
    ['a lone low surrogate at the end', '{"name":"b\\uDFFF"}', 'body.name'],
    ['a pair in the wrong order', '{"name":"\\udc00\\ud800"}', 'body.name'],
    ['a lone surrogate in a key', '{"d":{"\\ud800":1}}', 'a key of body.d'],
    ['a lone surrogate deep in an array', '{"d":{"list":[1,["x","\\ud9ff"]]}}', 'body.d.list[1][1]'],
  ])('refuses %s with SMS.2003, saying where', (_what, text, where) => {
    const r = parsed(Buffer.from(text));
    expect(r.next).toMatchObject({ kind: 'malformedJson', code: 'SMS.2003' });
    expect((r.next as Error).message).toBe(
      `The request body is not well-formed JSON: ${where} holds a lone surrogate escape (\\ud800-\\udfff without its pair), which is not Unicode text; send the character itself, or both halves of its pair. Send a JSON object.`,
    );
    expect(r.raw).toBeUndefined();
  });

  it.each([
    ['a surrogate pair', '{"name":"a\\ud83d\\ude00b"}', { name: 'a😀b' }],
    ['an escaped backslash before u + hex', '{"name":"\\\\ud800"}', { name: '\\ud800' }],
    ['a character above U+FFFF as UTF-8', '{"name":"😀"}', { name: '😀' }],
  ])('takes %s', (_what, text, value) => {
    const r = parsed(Buffer.from(text));
    expect(r.next).toBeUndefined();
    expect(r.body).toEqual(value);
    expect(r.raw).toBe(text);
  });
});

describe('jsonBodyReader: the content types it reads, as express.raw with type application/json reads them', () => {
  it.each([
    ['application/json', 'read {"a":1}'],
    ['Application/JSON; Charset=UTF-8', 'read {"a":1}'],
    ['application/json; charset=iso-8859-1', 'refused SMS.2005'],
    ['application/json;charset=utf-16', 'refused SMS.2005'],
    ['text/plain', 'not read'],
    ['application/jsonx', 'not read'],
  ])('%s: %s', async (contentType, outcome) => {
    const read = jsonBodyReader(1024);
    const server = createServer((req, res) => {
      read(req, res).then(
        (parsed) => res.end(parsed === undefined ? 'not read' : `read ${parsed.text}`),
        (err: { code?: string }) => res.end(`refused ${err.code}`),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const r = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, { method: 'POST', headers: { 'Content-Type': contentType }, body: '{"a":1}' });
      expect(await r.text()).toBe(outcome);
    } finally {
      server.close();
    }
  });
});
