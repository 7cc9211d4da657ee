/** Registers the contract cases as vitest tests against one target; skips are listed with their reason. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractCases, runCase } from './cases.js';
import { recordExercised, recordSkipped } from './coverage.js';
import type { ContractTarget } from './target.js';
import { operation } from '../support/spec.js';

export interface TargetHandle {
  target: ContractTarget;
  close(): Promise<void>;
}

/** Defines `describe(contract: <name>)` with one test per case. */
export function contractSuite(name: string, open: () => Promise<TargetHandle>, after?: (handle: TargetHandle) => Promise<void>, skip?: string): void {
  if (skip) {
    describe.skip(`contract: ${name} (skipped: ${skip})`, () => {
      it('runs every contract case', () => {});
    });
    return;
  }
  describe(`contract: ${name}`, () => {
    let handle: TargetHandle;
    beforeAll(async () => {
      handle = await open();
    });
    afterAll(async () => {
      if (!handle) return;
      try {
        if (after) await after(handle);
      } finally {
        await handle.close();
      }
    });
    for (const c of contractCases) {
      it(`${c.operation} ${c.status}: ${c.name}`, async (ctx) => {
        const outcome = await runCase(c, handle.target);
        if (outcome.skipped) {
          recordSkipped(handle.target.name, c.name, outcome.skipped);
          ctx.skip(outcome.skipped);
          return;
        }
        for (const x of outcome.exchanges) {
          const documented = String(x.response.status) in (operation(x.operation).operation.responses as object);
          if (documented) recordExercised(handle.target.name, x.operation, x.response.status);
        }
        expect(outcome.problems, outcome.problems.join('\n')).toEqual([]);
      });
    }
  });
}
