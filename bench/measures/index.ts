import type { MeasureScenario } from '../measure';

/**
 * Measure scenarios, run after the HTTP ones, each in its own process, in this order. Each entry
 * loads its own module only when run: a measure's process needs none of the others' code, and
 * loading every measure (the bot, the simulators, the tab stack, playwright) cost every measure
 * process about 4 s of CPU. `name` is the module's own name for it (run-measure checks that they agree).
 */
export const measures: ReadonlyArray<{
  name: string;
  load(): Promise<MeasureScenario>;
  /** Builds the measure reads (build-if-stale.ts), made before the bench measures anything. */
  builds?: ReadonlyArray<'service' | 'tab'>;
  /**
   * Its figures are counts on a frozen clock, not times, so a busy machine does not change them: it
   * runs while the builds and the scenario servers start, before anything timed.
   */
  countsOnly?: boolean;
}> = [
  { name: 'alert delivery burst', load: async () => (await import('./alert-delivery.js')).alertDelivery },
  { name: 'poller Jira points', load: async () => (await import('./poller-points.js')).pollerPoints, countsOnly: true },
  { name: 'tab', load: async () => (await import('./tab-render.js')).tabRender, builds: ['tab'] },
  { name: 'service memory', load: async () => (await import('./service-memory.js')).serviceMemory, builds: ['service'] },
  { name: 'scale out and live updates: one vs three instances', load: async () => (await import('./scale-out.js')).scaleOut },
];
