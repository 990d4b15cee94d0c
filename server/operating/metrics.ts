/**
 * The server's Prometheus metrics. Each app has a registry of its own, not prom-client's global
 * one, so several servers in one process (the tests) count apart.
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Ingest answers by HTTP status: 200 is a batch accepted, anything else one refused. */
  ingestBatches: Counter<'status'>;
  /** Ingest bodies as they came over the wire (mostly gzip). */
  ingestBytes: Counter;
  /** Time storage took to make one batch durable. */
  ingestStorageSeconds: Histogram;
  /** Every answer, by route pattern (`/api/sessions/:id`, never the raw path, which would be unbounded). */
  requestSeconds: Histogram<'method' | 'route' | 'status'>;
  /** Sessions retention deleted. */
  retentionDeletedSessions: Counter;
}

/** Latencies from a cached read (1 ms) to a large export or a slow disk (10 s). */
const SECONDS_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10];

/** A fresh registry with the product's metrics and Node's process metrics. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    ingestBatches: new Counter({
      name: 'replay_ingest_batches_total',
      help: 'Ingest requests answered, by status: 200 accepted, 4xx and 5xx refused',
      labelNames: ['status'],
      registers,
    }),
    ingestBytes: new Counter({ name: 'replay_ingest_received_bytes_total', help: 'Bytes of ingest bodies received, as sent', registers }),
    ingestStorageSeconds: new Histogram({
      name: 'replay_ingest_storage_seconds',
      help: 'Time storage took to store one batch durably',
      buckets: SECONDS_BUCKETS,
      registers,
    }),
    requestSeconds: new Histogram({
      name: 'replay_http_request_duration_seconds',
      help: 'Time to answer a request, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: SECONDS_BUCKETS,
      registers,
    }),
    retentionDeletedSessions: new Counter({
      name: 'replay_retention_deleted_sessions_total',
      help: 'Sessions deleted by retention (RETENTION_DAYS)',
      registers,
    }),
  };
}
