/**
 * harness/faultedFleet.ts's ledger (`tally`): the judge of the topology runs. Each invariant is broken
 * on purpose in a ledger of a few entries, so a judge that stopped seeing a loss would fail here, not
 * pass every long run.
 */
import { describe, expect, it } from 'vitest';
import { tally, type Ledger } from '../../harness/faultedFleet.js';

/** A clean run: two commands, each handed out once, reported, acknowledged and stored; one kill at 10 s. */
function cleanLedger(): Ledger {
  return {
    commands: [
      { state: 'done', deliveries: 1, command_param: { task_id: 't1' } },
      { state: 'done', deliveries: 1, command_param: { task_id: 't2' } },
    ],
    results: [
      { request_id: 'r1', command_id: 1, unsolicited: false },
      { request_id: 'r2', command_id: 2, unsolicited: false },
    ],
    acknowledged: new Set(['r1', 'r2']),
    enqueuedAcks: new Set(['t1', 't2']),
    handouts: new Map([
      ['t1', [{ sent: 1, received: 1.01 }]],
      ['t2', [{ sent: 2, received: 2.01 }]],
    ]),
    leaseSeconds: 5,
    faults: [{ kind: 'kill', instance: 0, at: 10, windowEnd: 20, bound: 5 }],
    agentErrors: [{ t: 10.3, kind: 'POST ECONNRESET' }],
  };
}

/** The invariants that did not hold. */
function broken(ledger: Ledger): string[] {
  const { invariants } = tally(ledger);
  return Object.keys(invariants).filter((name) => !invariants[name]);
}

describe('tally: the faulted fleet\'s ledger', () => {
  it('passes a clean run and counts it', () => {
    const t = tally(cleanLedger());
    expect(broken(cleanLedger())).toEqual([]);
    expect(t.ok).toBe(true);
    expect(t).toMatchObject({ enqueued: 2, enqueues_lost: 0, completed: 2, acknowledged: 2, stored: 2, lost: 0, completed_twice: 0, double_leased: 0, redelivered: 0, agent_errors_outside_faults: 0 });
    expect(t.recovery_seconds).toEqual([{ kind: 'kill', instance: 0, at_seconds: 10, agent_errors: 1, recovery_seconds: 0.3, bound_seconds: 5 }]);
  });

  it('an acknowledged report that is not stored is lost', () => {
    const l = { ...cleanLedger(), results: cleanLedger().results.slice(0, 1) };
    expect(tally(l).lost).toBe(1);
    expect(broken(l)).toContain('no_acknowledged_report_lost');
    expect(tally(l).ok).toBe(false);
  });

  it('an acknowledged enqueue missing from the queue is lost', () => {
    const l = { ...cleanLedger(), enqueuedAcks: new Set(['t1', 't2', 't3']) };
    expect(tally(l).enqueues_lost).toBe(1);
    expect(broken(l)).toEqual(['no_acknowledged_enqueue_lost']);
  });

  it('a command two stored reports completed is completed twice', () => {
    const l = { ...cleanLedger(), results: [...cleanLedger().results, { request_id: 'r3', command_id: 1, unsolicited: false }] };
    expect(tally(l).completed_twice).toBe(1);
    expect(broken(l)).toEqual(['no_command_completed_twice']);
  });

  it('a second hand-out while the first lease surely held is double-leased; after it could have ended, redelivered', () => {
    const during = { ...cleanLedger(), handouts: new Map([['t1', [{ sent: 1, received: 1.01 }, { sent: 5.5, received: 5.9 }]]]) };
    expect(tally(during)).toMatchObject({ double_leased: 1, redelivered: 0 });
    expect(broken(during)).toEqual(['no_command_leased_twice']);
    const after = { ...cleanLedger(), handouts: new Map([['t1', [{ sent: 1, received: 1.01 }, { sent: 5.9, received: 6.1 }]]]) };
    expect(tally(after)).toMatchObject({ double_leased: 0, redelivered: 1 });
    expect(broken(after)).toEqual([]);
  });

  it('a command not done, or no command at all, is not every command completed', () => {
    const open = { ...cleanLedger(), commands: [...cleanLedger().commands, { state: 'leased', deliveries: 1, command_param: { task_id: 't3' } }] };
    expect(broken(open)).toEqual(['every_command_completed']);
    expect(broken({ ...cleanLedger(), commands: [], enqueuedAcks: new Set<string>() })).toEqual(['every_command_completed']);
  });

  it('an Agent error before a fault, or after its window, is outside the faults', () => {
    const before = { ...cleanLedger(), agentErrors: [{ t: 9.9, kind: 'GET 500 SMS.2007' }] };
    expect(tally(before).agent_errors_outside_faults).toBe(1);
    expect(broken(before)).toEqual(['agent_errors_only_during_faults']);
    expect(broken({ ...cleanLedger(), agentErrors: [{ t: 20, kind: 'GET 500 SMS.2007' }] })).toEqual(['agent_errors_only_during_faults']);
  });

  it('a fault whose errors go on past its bound did not recover in time; the next fault takes the errors after it begins', () => {
    const slow = { ...cleanLedger(), agentErrors: [{ t: 10.1, kind: 'GET 500 SMS.2007' }, { t: 15.5, kind: 'GET 500 SMS.2007' }] };
    expect(tally(slow).recovery_seconds[0]).toMatchObject({ agent_errors: 2, recovery_seconds: 5.5 });
    expect(broken(slow)).toEqual(['every_fault_recovered_within_its_bound']);
    const next = {
      ...slow,
      faults: [...slow.faults.slice(0, 1).map((f) => ({ ...f })), { kind: 'kill' as const, instance: 1, at: 15, windowEnd: 25, bound: 5 }],
    };
    expect(tally(next).recovery_seconds.map((o) => o.agent_errors)).toEqual([1, 1]);
    expect(broken(next)).toEqual([]);
  });
});
