// Preloaded into a server process by test/server/shutdown.test.ts: on SIGUSR2, a bug that escapes every
// handler (an uncaught exception on the event loop).
process.on('SIGUSR2', () => {
  setImmediate(() => {
    throw new Error('deliberate bug for the fatal-error test');
  });
});
