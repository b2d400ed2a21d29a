import { metrics } from '@opentelemetry/api';
import type { Logger } from '../log/create-logger';

export interface TelemetryHandle {
  /** Exports the metrics now, while what their gauges read (the store) is still open. */
  flush(): Promise<void>;
  /** Sends what is buffered and stops exporting (service shutdown). */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry with the Azure Monitor exporter, so traces and metrics reach Application
 * Insights: every incoming request (turns on /api/messages, webhook intake, tab API) and outgoing
 * HTTP call (Jira through axios, Microsoft Graph and Bot Connector through fetch) becomes a span,
 * and service-metrics.ts's meters start recording. Call it before the service starts, so the HTTP
 * modules are patched before they are used. Loaded only when a connection string is set: the
 * SDK weighs tens of megabytes a single developer's instance need not carry.
 */
export async function startTelemetry(connectionString: string, logger: Logger): Promise<TelemetryHandle> {
  const { useAzureMonitor, shutdownAzureMonitor } = await import('@azure/monitor-opentelemetry');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString },
    enableLiveMetrics: false,
    instrumentationOptions: {
      http: {
        enabled: true,
        // App Service probes /healthz every minute per instance: noise. (An ignored request also
        // suppresses the spans of what it calls, so /readyz, which calls Jira and the store, stays.)
        ignoreIncomingRequestHook: (request: { url?: string }) => request.url === '/healthz',
      } as { enabled: boolean },
      azureSdk: { enabled: true },
    },
  });
  // The distro patches node:http only; fetch (undici) carries the Graph and Bot Connector calls.
  const { UndiciInstrumentation } = await import('@opentelemetry/instrumentation-undici');
  const undici = new UndiciInstrumentation();
  logger.info('telemetry to Application Insights is on');
  return {
    async flush() {
      // The SDK's MeterProvider has forceFlush; the API's type does not name it.
      await (metrics.getMeterProvider() as { forceFlush?: () => Promise<void> }).forceFlush?.();
    },
    async shutdown() {
      undici.disable();
      await shutdownAzureMonitor();
    },
  };
}
