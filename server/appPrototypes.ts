/**
 * Requests and responses born with Express's prototypes, for node:http to create: Express would otherwise
 * change each object's prototype, and V8 would give every request and response a slow, unshared shape.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/** Always false: the assignments it guards never run (see bornWithAppPrototypes). */
let reserveSlots = false;

/**
 * Request and response classes for node:http whose objects are created with the app's `request` and
 * `response` prototypes. Express sets those prototypes on every request (`Object.setPrototypeOf`); on an
 * object that already has them that is a no-op, where changing them makes V8 give the objects new,
 * unshared shapes, so that every later property access on them in Node's HTTP code takes the slow path
 * (measured: about 45 µs more CPU per request on a bare node:http server).
 *
 * V8 sizes an object's in-object property slots by the `this.x =` assignments it finds in the body of the
 * constructor that `new` runs. These constructors only `.call` Node's, so without the never-run
 * assignments below V8 reserves no slot, and the 26 properties of a request and the 40 of a response push
 * the objects into dictionary mode: every property access in Node's HTTP code a hash lookup (measured:
 * 15% more instructions per poll with callgrind, 9 µs more user CPU per poll at 10,000 polls/s).
 * test/server/httpServer.test.ts checks with V8's own %HasFastProperties.
 */
export function bornWithAppPrototypes(
  app: Express,
  node: { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } = { IncomingMessage, ServerResponse },
): { IncomingMessage?: typeof IncomingMessage; ServerResponse?: typeof ServerResponse } {
  // Node's IncomingMessage and ServerResponse are plain constructor functions, which `.call` can
  // initialise on an object with another prototype (Reflect.construct can too, but V8 runs the
  // constructors several times slower that way). Should a Node release make them classes, fall back.
  if ([node.IncomingMessage, node.ServerResponse].some((c) => Function.prototype.toString.call(c).startsWith('class'))) return {};
  function AppRequest(this: Record<string, unknown>, socket: Socket): void {
    if (reserveSlots) {
      this.r0 = this.r1 = this.r2 = this.r3 = this.r4 = this.r5 = this.r6 = this.r7 = this.r8 = this.r9 = this.r10 = this.r11 = this.r12 = this.r13 = this.r14 = this.r15 = undefined;
      this.r16 = this.r17 = this.r18 = this.r19 = this.r20 = this.r21 = this.r22 = this.r23 = this.r24 = this.r25 = this.r26 = this.r27 = this.r28 = this.r29 = this.r30 = this.r31 = undefined;
    }
    (node.IncomingMessage as unknown as Function).call(this, socket);
  }
  AppRequest.prototype = app.request;
  function AppResponse(this: Record<string, unknown>, req: IncomingMessage, options: unknown): void {
    if (reserveSlots) {
      this.s0 = this.s1 = this.s2 = this.s3 = this.s4 = this.s5 = this.s6 = this.s7 = this.s8 = this.s9 = this.s10 = this.s11 = this.s12 = this.s13 = this.s14 = this.s15 = undefined;
      this.s16 = this.s17 = this.s18 = this.s19 = this.s20 = this.s21 = this.s22 = this.s23 = this.s24 = this.s25 = this.s26 = this.s27 = this.s28 = this.s29 = this.s30 = this.s31 = undefined;
      this.s32 = this.s33 = this.s34 = this.s35 = this.s36 = this.s37 = this.s38 = this.s39 = this.s40 = this.s41 = this.s42 = this.s43 = this.s44 = this.s45 = this.s46 = this.s47 = undefined;
    }
    (node.ServerResponse as unknown as Function).call(this, req, options);
  }
  AppResponse.prototype = app.response;
  return { IncomingMessage: AppRequest as unknown as typeof IncomingMessage, ServerResponse: AppResponse as unknown as typeof ServerResponse };
}
