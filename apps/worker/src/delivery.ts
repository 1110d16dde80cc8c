import type { StoredWindow, WindowStore } from "@dtw/core";
import type { StreamConfig } from "./config.js";
import type { Env } from "./env.js";
import { log } from "./log.js";
import { type QueueProducer, queueSink } from "./sinks/queue.js";
import type { Sink } from "./sinks/sink.js";
import { webhookSink } from "./sinks/webhook.js";

/** Windows claimed per store call while draining the ready queue. */
const CLAIM_BATCH = 25;

export interface DeliveryReport {
  delivered: number;
  retried: number;
  dead: number;
}

/** The push sink of a stream, or `undefined` for `pull` (consumers claim themselves). */
export function sinkFor(stream: StreamConfig, env: Env): Sink | undefined {
  const sink = stream.sink;
  switch (sink.type) {
    case "webhook":
      // parseStreams checked that the secret exists.
      return webhookSink({
        url: sink.url,
        secret: env[sink.secret] as string,
        timeoutMs: sink.timeoutMs,
      });
    case "queue":
      return queueSink(env[sink.binding] as QueueProducer);
    case "pull":
      return undefined;
  }
}

/**
 * Sends windows this invocation holds a lease on, acks the delivered ones and reports the others
 * as failed (retried after a backoff, dead-lettered after `maxAttempts`). A store error
 * propagates; whatever was not acked is redelivered once its lease expires, with the same id.
 */
export async function deliver(
  store: WindowStore,
  stream: StreamConfig,
  sink: Sink,
  windows: readonly StoredWindow[],
): Promise<DeliveryReport> {
  const report: DeliveryReport = { delivered: 0, retried: 0, dead: 0 };
  if (windows.length === 0) return report;
  const { spec } = stream;
  const outcomes = await sink.send(spec.name, windows);
  const acked = windows.filter((_, i) => outcomes[i] === null).map((w) => w.id);
  if (acked.length > 0) report.delivered = await store.ack(spec, acked);
  for (const [i, w] of windows.entries()) {
    const error = outcomes[i];
    if (!error) continue;
    const backoff = Math.min(stream.retryDelayMs * 2 ** (w.attempt - 1), stream.maxRetryDelayMs);
    const outcome = await store.fail(spec, w.id, w.attempt, backoff, stream.maxAttempts);
    const fields = { stream: spec.name, window: w.id, attempt: w.attempt, error: error.message };
    if (outcome === "dead") {
      report.dead++;
      log("error", "window dead-lettered after its last attempt", fields);
    } else {
      if (outcome === "retry") report.retried++;
      log("warn", `delivery failed (${outcome})`, { ...fields, retryInMs: backoff });
    }
  }
  return report;
}

/**
 * Claims ready windows (new, retries whose backoff elapsed, and expired leases) and delivers
 * them, at most `budget` windows, so one invocation stays within its subrequest limits.
 */
export async function deliverReady(
  store: WindowStore,
  stream: StreamConfig,
  sink: Sink,
  budget: number,
): Promise<DeliveryReport> {
  const total: DeliveryReport = { delivered: 0, retried: 0, dead: 0 };
  while (budget > 0) {
    const max = Math.min(CLAIM_BATCH, budget);
    const windows = await store.claim(stream.spec, max, stream.leaseMs);
    budget -= windows.length;
    const report = await deliver(store, stream, sink, windows);
    total.delivered += report.delivered;
    total.retried += report.retried;
    total.dead += report.dead;
    if (windows.length < max) break;
  }
  return total;
}
