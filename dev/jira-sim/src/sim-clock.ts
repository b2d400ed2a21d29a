/** The simulator's clock: a base time source plus an offset that tests move through /_sim/clock. */
export interface SimClock {
  now(): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function createSimClock(base: () => number = Date.now): SimClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    set: (ms) => {
      offset = ms - base();
    },
    advance: (ms) => {
      offset += ms;
    },
  };
}
