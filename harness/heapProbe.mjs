// Preloaded into a server process (node --expose-gc --import ./harness/heapProbe.mjs ...) by the soak and
// its tests: on SIGUSR2 it runs a full garbage collection and prints the JS heap left, one JSON line:
// {"heapProbe":<bytes>,"seq":<n>}. The heap after a forced GC is what a leak grows; RSS also moves with
// V8's heap sizing and malloc arenas.
let seq = 0;
process.on('SIGUSR2', () => {
  if (typeof globalThis.gc !== 'function') {
    process.stdout.write('{"heapProbe":null,"error":"run with --expose-gc"}\n');
    return;
  }
  globalThis.gc();
  seq += 1;
  process.stdout.write(`${JSON.stringify({ heapProbe: process.memoryUsage().heapUsed, seq })}\n`);
});
