// Run with `node --allow-natives-syntax --import tsx`: prints whether the requests and responses that
// bornWithAppPrototypes creates keep V8's fast (in-object) properties, as Node's own do.
import { Socket } from 'node:net';
import { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { bornWithAppPrototypes } from '../../server/appPrototypes.js';

const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
const app = express();
const { IncomingMessage: Req = IncomingMessage, ServerResponse: Res = ServerResponse } = bornWithAppPrototypes(app);
let req!: IncomingMessage;
let res!: ServerResponse;
// past V8's slack tracking, which settles an object layout after the first few constructions
for (let i = 0; i < 20; i++) {
  req = new Req(new Socket());
  res = new Res(req);
}
console.log(JSON.stringify({ request: hasFastProperties(req), response: hasFastProperties(res), nodeResponse: hasFastProperties(new ServerResponse(req)) }));
