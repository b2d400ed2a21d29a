import type { MeasureScenario } from '../measure';
import { alertDelivery } from './alert-delivery';
import { pollerPoints } from './poller-points';
import { scaleOut } from './scale-out';
import { serviceMemory } from './service-memory';
import { tabRender } from './tab-render';

/** Measure scenarios, run after the HTTP ones, each in its own process. */
export const measures: readonly MeasureScenario[] = [alertDelivery, pollerPoints, tabRender, serviceMemory, scaleOut];
