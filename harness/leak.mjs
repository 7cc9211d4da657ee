// A deliberate leak, preloaded to prove that the memory verdict catches one: keeps LEAK_KIB_PER_MIN KiB of
// JS heap per minute (default 1024: 1 MiB/min) reachable forever, in steps every 100 ms (arrays of unboxed
// doubles, 8 bytes an element: strings would share their filler and leak less than they look).
const kibPerMinute = Number(process.env.LEAK_KIB_PER_MIN ?? 1024);
const kept = [];
const elements = Math.max(1, Math.round((kibPerMinute * 1024) / 600 / 8));
let n = 0;
setInterval(() => {
  n += 1;
  kept.push(new Array(elements).fill(n + 0.5));
}, 100).unref();
globalThis.__deliberateLeak = kept;
