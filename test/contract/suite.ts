/** Registers the contract cases as vitest tests against one target; skips are listed with their reason. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractCases, runCase } from '../../contract/cases.js';
import { recordExercised, recordSkipped } from '../../contract/coverage.js';
import type { ContractTarget } from '../../contract/target.js';
import { operation } from '../../harness/spec.js';

export interface TargetHandle {
  target: ContractTarget;
  close(): Promise<void>;
}

export interface ContractSuiteOptions<H extends TargetHandle> {
  /** Shown as `contract: <name>`. */
  name: string;
  /** Starts the target (once, before the cases). */
  open: () => Promise<H>;
  /** Checks run after every case, before the target closes (a proxy's whole log, say). */
  finally?: (handle: H) => Promise<void>;
  /** Skips the whole suite, with the reason in its name. */
  skip?: string | undefined;
}

/** Defines `describe(contract: <name>)` with one test per case. */
export function contractSuite<H extends TargetHandle>(options: ContractSuiteOptions<H>): void {
  if (options.skip) {
    describe.skip(`contract: ${options.name} (skipped: ${options.skip})`, () => {
      it('runs every contract case', () => {});
    });
    return;
  }
  describe(`contract: ${options.name}`, () => {
    let handle: H | undefined;
    beforeAll(async () => {
      handle = await options.open();
    });
    afterAll(async () => {
      if (!handle) return;
      try {
        await options.finally?.(handle);
      } finally {
        await handle.close();
      }
    });
    for (const c of contractCases) {
      it(`${c.operation} ${c.status}: ${c.name}`, async (ctx) => {
        const { target } = handle as H;
        const outcome = await runCase(c, target);
        if (outcome.skipped) {
          recordSkipped(target.name, c.name, outcome.skipped);
          ctx.skip(outcome.skipped);
          return;
        }
        for (const x of outcome.exchanges) {
          const documented = String(x.response.status) in (operation(x.operation).operation.responses as object);
          if (documented) recordExercised(target.name, x.operation, x.response.status);
        }
        expect(outcome.problems, outcome.problems.join('\n')).toEqual([]);
      });
    }
  });
}
