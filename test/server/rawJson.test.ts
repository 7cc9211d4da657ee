/** memberText (server/rawJson.ts): the raw text of a member of a JSON object, exactly as sent. */
import { describe, expect, it } from 'vitest';
import { memberText } from '../../server/rawJson.js';

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
