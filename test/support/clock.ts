/** A clock tests move by hand: lease expiry without sleeping. */
export interface FakeClock {
  now(): Date;
  advance(ms: number): void;
}

export function fakeClock(start = new Date('2026-01-28T00:00:00Z')): FakeClock {
  let t = start.getTime();
  return { now: () => new Date(t), advance: (ms) => void (t += ms) };
}
