/**
 * A corpus of realistic edits of the released Agent contract (spec/releases/3.1.0.json), each labelled as
 * a client in the field feels it: breaking (a request that was valid is refused, or a response a client was
 * promised not to get arrives) or compatible. gateCorpus.test.ts checks the gate's verdict on every one.
 */
type J = Record<string, any>;

export interface CorpusEdit {
  name: string;
  label: 'breaking' | 'compatible';
  edit(d: J): void;
}

const schemas = (d: J): J => d.components.schemas;
const serverId = (d: J): J => d.components.parameters.ServerId.schema;
const report = (d: J): J => schemas(d).CommandBody;
const poll = (d: J): J => d.paths['/v3/sources/{server_id}/command'].get;
/** A copy of `schema` without `key`. */
const withoutKey = (schema: J, key: string): J => Object.fromEntries(Object.entries(schema).filter(([k]) => k !== key));

export const corpus: CorpusEdit[] = [
  // the four edits Specmatic called incompatible while the gate passed them (issue 33)
  { name: 'X-Auth-Token renamed inside the AuthToken scheme', label: 'breaking', edit: (d) => (d.components.securitySchemes.AuthToken.name = 'X-Token') },
  { name: 'format: uuid added to server_id', label: 'breaking', edit: (d) => (serverId(d).format = 'uuid') },
  { name: 'const: success added to result', label: 'breaking', edit: (d) => (report(d).properties.result.const = 'success') },
  {
    name: 'an allOf adds a required property to the report body',
    label: 'breaking',
    edit: (d) => (schemas(d).CommandBody = { allOf: [report(d), { type: 'object', required: ['agent_version'], properties: { agent_version: { type: 'string' } } }] }),
  },
  // anyOf: compared like oneOf, by the types of its variants
  { name: "result_detail's oneOf written as an anyOf of the same variants", label: 'compatible', edit: (d) => (schemas(d).ResultDetail = { ...withoutKey(schemas(d).ResultDetail, 'oneOf'), anyOf: schemas(d).ResultDetail.oneOf }) },
  { name: "result_detail's string form dropped (an anyOf of the object alone)", label: 'breaking', edit: (d) => (schemas(d).ResultDetail = { ...withoutKey(schemas(d).ResultDetail, 'oneOf'), anyOf: [schemas(d).ResultDetail.oneOf[0]] }) },
  // type changes, removed and renamed things, tightened bounds and enums
  { name: 'result becomes an integer', label: 'breaking', edit: (d) => (report(d).properties.result = { type: 'integer' }) },
  { name: 'the ShowCommand path removed', label: 'breaking', edit: (d) => delete d.paths['/v3/sources/{server_id}/command'] },
  {
    name: 'the report path renamed',
    label: 'breaking',
    edit: (d) => {
      d.paths['/v3/sources/{server_id}/result'] = d.paths['/v3/sources/{server_id}/command_result'];
      delete d.paths['/v3/sources/{server_id}/command_result'];
    },
  },
  { name: 'the ShowCommand 200 response removed', label: 'breaking', edit: (d) => delete poll(d).responses['200'] },
  { name: 'server_id at most 20 characters', label: 'breaking', edit: (d) => (serverId(d).maxLength = 20) },
  { name: 'result no longer takes fail', label: 'breaking', edit: (d) => (report(d).properties.result.enum = ['success']) },
  {
    name: 'a required property added to the report body',
    label: 'breaking',
    edit: (d) => {
      report(d).properties.agent_version = { type: 'string' };
      report(d).required.push('agent_version');
    },
  },
  { name: 'command_param removed from the poll answer', label: 'breaking', edit: (d) => delete schemas(d).Command.properties.command_param },
  { name: 'a required header added to the report', label: 'breaking', edit: (d) => (d.paths['/v3/sources/{server_id}/command_result'].post.parameters = [{ name: 'X-Agent', in: 'header', required: true, schema: { type: 'string' } }]) },
  // relaxed bounds and enums, optional additions, descriptions and examples
  { name: 'server_id up to 64 characters', label: 'compatible', edit: (d) => (serverId(d).maxLength = 64) },
  { name: 'server_id pattern removed', label: 'compatible', edit: (d) => delete serverId(d).pattern },
  { name: 'result takes partial too', label: 'compatible', edit: (d) => report(d).properties.result.enum.push('partial') },
  { name: 'an optional property added to the report body', label: 'compatible', edit: (d) => (report(d).properties.agent_version = { type: 'string', maxLength: 64 }) },
  { name: 'an optional header added to the report', label: 'compatible', edit: (d) => (d.paths['/v3/sources/{server_id}/command_result'].post.parameters = [{ name: 'X-Agent', in: 'header', required: false, schema: { type: 'string' } }]) },
  { name: 'bucket in the poll answer may be up to 1,024 characters (a warning: strict readers notice)', label: 'compatible', edit: (d) => (schemas(d).CommandParam.properties.bucket.maxLength = 1024) },
  { name: 'a 429 response documented on ShowCommand', label: 'compatible', edit: (d) => (poll(d).responses['429'] = { description: 'Slow down.' }) },
  { name: 'the poll answer gains an optional property a closed schema now lists', label: 'compatible', edit: (d) => (schemas(d).Command.properties.lease_seconds = { type: 'integer' }) },
  { name: 'descriptions reworded', label: 'compatible', edit: (d) => ((report(d).description = 'Another text.'), (poll(d).description = 'Polls.'), (d.info.description = 'New words.')) },
  { name: 'an example changed', label: 'compatible', edit: (d) => (d.paths['/v3/sources/{server_id}/command_result'].post.requestBody.content['application/json'].examples = {}) },
  {
    name: 'an AK/SK signature scheme added as an alternative to the token',
    label: 'compatible',
    edit: (d) => {
      d.components.securitySchemes.Signature = { type: 'apiKey', in: 'header', name: 'Authorization' };
      d.security = [{ AuthToken: [] }, { Signature: [] }];
    },
  },
];
