/**
 * Preloaded after tsx in the bench's own processes (scenario servers, measures, the emulation's
 * process): tsx turns Node's source maps on, and Node then parses the inline map of every module it
 * loads, about 0.85 s of CPU for a process that loads the bot. The deployed service runs without
 * them; BENCH_SOURCE_MAPS=1 keeps them (stack traces point into TypeScript).
 */
if (process.env.BENCH_SOURCE_MAPS !== '1') process.setSourceMapsEnabled(false);
