/**
 * `npm run -s signed -- [-X METHOD] [-d BODY] URL`: sends one request signed with an access key (AK/SK,
 * SDK-HMAC-SHA256, as the client and Huawei Cloud's SDKs sign), as curl would send it with a token, and
 * prints the answer's body (the status on stderr). The pair comes from SMS_ACCESS_KEY and SMS_SECRET_KEY
 * (`npm run admin -- keys create` prints them). Exit code 0 on a 2xx, 1 otherwise, 2 on a usage error.
 */
import { parseArgs } from 'node:util';
import { signRequest } from '../client/src/signing.js';

const usage = 'usage: SMS_ACCESS_KEY=AK SMS_SECRET_KEY=SK npm run -s signed -- [-X GET|POST] [-d BODY] URL';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { request: { type: 'string', short: 'X' }, data: { type: 'string', short: 'd' }, help: { type: 'boolean', short: 'h' } } });
  } catch (err) {
    console.error(`signed: ${(err as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(usage);
    return 0;
  }
  const accessKey = process.env.SMS_ACCESS_KEY;
  const secretKey = process.env.SMS_SECRET_KEY;
  const url = positionals[0];
  if (!accessKey || !secretKey || !url || positionals.length > 1) {
    console.error(`signed: give one URL, and the access key in SMS_ACCESS_KEY and SMS_SECRET_KEY (\`npm run admin -- keys create --name NAME\` prints them, AK then SK).\n${usage}`);
    return 2;
  }
  const method = values.request ?? (values.data === undefined ? 'GET' : 'POST');
  const init: RequestInit = { method, ...(values.data === undefined ? {} : { body: values.data, headers: { 'Content-Type': 'application/json' } }) };
  let response: Response;
  try {
    response = await fetch(await signRequest(new Request(url, init), { accessKey, secretKey }));
  } catch (err) {
    console.error(`signed: ${method} ${url} failed: ${(err as Error).message}. Is the server running there?`);
    return 1;
  }
  console.error(`${response.status} ${response.statusText}`);
  console.log(await response.text());
  return response.ok ? 0 : 1;
}

process.exit(await main());
