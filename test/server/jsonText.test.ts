/** memberText (server/jsonText.ts): the raw text of a member of a JSON object, exactly as sent. */
import { describe, expect, it } from 'vitest';
import { holdingRawJson, memberText, rawJsonObject, stringifyJson } from '../../server/jsonText.js';

describe('memberText', () => {
  it.each([
    ['{"result_detail":{"msg":"xxx"}}', '{"msg":"xxx"}'],
    ['{ "command_name" : "START" , "result_detail" : { "n" : 1e999 , "big" : 12345678901234567890123 } , "result":"success" }', '{ "n" : 1e999 , "big" : 12345678901234567890123 }'],
    ['{"a":"x\\"}{[","result_detail":[1,"]",{"b":"}"}]}', '[1,"]",{"b":"}"}]'],
    ['{"result_detail":"{\\"msg\\":\\"xxx\\"}"}', '"{\\"msg\\":\\"xxx\\"}"'],
    ['{"result_detail":-0.5e-3,"z":true}', '-0.5e-3'],
    ['{"result_detail":null}', 'null'],
    ['{"result_detail":1,"result_detail":{"last":"wins"}}', '{"last":"wins"}'],
    ['{"\\u0072esult_detail":{"escaped":"key"}}', '{"escaped":"key"}'],
  ])('in %s', (text, expected) => {
    expect(memberText(text, 'result_detail')).toBe(expected);
    expect(JSON.parse(expected)).toEqual(JSON.parse(text).result_detail);
  });

  it('is undefined when the member is absent or the text is not an object', () => {
    expect(memberText('{"msg":"x"}', 'result_detail')).toBeUndefined();
    expect(memberText('[{"result_detail":1}]', 'result_detail')).toBeUndefined();
    expect(memberText('{}', 'result_detail')).toBeUndefined();
  });

  it('walks 100,000 levels of nesting without recursion', () => {
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    expect(memberText(`{"result_detail":{"d":${deep}}}`, 'result_detail')).toBe(`{"d":${deep}}`);
  });
});

describe('stringifyJson', () => {
  it('writes each rawJsonObject inside a marked value as its text, at any depth and with indentation', () => {
    const text = '{"n":1e999,"z":-0,"i":12345678901234567890123,"a":1,"a":2}';
    const value = holdingRawJson({ results: [{ id: 1, detail: rawJsonObject(text) }, { id: 2, detail: rawJsonObject('{ "b" : [1.10] }') }], next: null });
    expect(stringifyJson(value)).toBe(`{"results":[{"id":1,"detail":${text}},{"id":2,"detail":{ "b" : [1.10] }}],"next":null}`);
    expect(stringifyJson(value, 2)).toBe(`{\n  "results": [\n    {\n      "id": 1,\n      "detail": ${text}\n    },\n    {\n      "id": 2,\n      "detail": { "b" : [1.10] }\n    }\n  ],\n  "next": null\n}`);
  });

  it('parses the text for everything else that reads the object (the response validator)', () => {
    expect(rawJsonObject('{"a":1,"a":2,"n":1e999}')).toEqual({ a: 2, n: Infinity });
  });

  it('is JSON.stringify for a value that is not marked, or not an object', () => {
    const unmarked = { detail: rawJsonObject('{"n":1e999}') };
    expect(stringifyJson(unmarked)).toBe('{"detail":{"n":null}}');
    expect(stringifyJson({ a: [1, 'x'] }, 2)).toBe(JSON.stringify({ a: [1, 'x'] }, null, 2));
    expect(stringifyJson('text')).toBe('"text"');
    expect(stringifyJson(null)).toBe('null');
  });

  it('leaves strings that look like its placeholders alone', () => {
    const value = holdingRawJson({ s: '\u0000abc:0', t: '$1 $& \\u0000', detail: rawJsonObject('{"x":"$&"}') });
    expect(stringifyJson(value)).toBe(`{"s":"\\u0000abc:0","t":"$1 $& \\\\u0000","detail":{"x":"$&"}}`);
  });
});
