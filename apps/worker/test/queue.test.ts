import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorker, type TestWorker } from "./harness.js";
import { pollUntil } from "./poll.js";

/** A queue consumer Worker that forwards each batch's message bodies to a Node collector. */
const CONSUMER = `
export default {
  async queue(batch, env) {
    const response = await fetch(env.COLLECTOR_URL, {
      method: "POST",
      body: JSON.stringify(batch.messages.map((m) => m.body)),
    });
    if (!response.ok) throw new Error("collector answered " + response.status);
    batch.ackAll();
  },
};`;

interface QueuedWindow {
  id: string;
  stream: string;
  key: string;
  elements: unknown[];
  reason: string;
  attempt: number;
}

describe("queue sink (Cloudflare Queues in Miniflare)", () => {
  let worker: TestWorker;
  let collector: Server;
  const received: QueuedWindow[] = [];

  beforeAll(async () => {
    collector = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push(...(JSON.parse(Buffer.concat(chunks).toString()) as QueuedWindow[]));
      res.writeHead(200).end();
    });
    collector.listen(0, "127.0.0.1");
    await once(collector, "listening");
    const url = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/`;
    const queue = (binding: string) => ({ type: "queue", binding });
    worker = await startWorker({
      bindings: {
        STREAMS: {
          alerts: { maxCount: 4, timeout: "1 h", strategy: "last", sink: queue("ALERTS_QUEUE") },
          huge: {
            maxCount: 1,
            timeout: "1 h",
            maxAttempts: 2,
            retryDelay: "10 ms",
            sink: queue("ALERTS_QUEUE"),
          },
        },
      },
      worker: { queueProducers: { ALERTS_QUEUE: "alerts" } },
      others: [
        {
          name: "consumer",
          modules: true,
          script: CONSUMER,
          compatibilityDate: "2026-04-20",
          bindings: { COLLECTOR_URL: url },
          queueConsumers: { alerts: { maxBatchTimeout: 0 } },
        },
      ],
    });
  });
  afterAll(async () => {
    await worker?.dispose();
    collector?.closeAllConnections();
    collector?.close();
  });

  it("sends each closed window as one JSON message and acks it once sent", async () => {
    const elements = Array.from({ length: 12 }, (_, i) => ({ alert: i }));
    const response = await worker.request("POST", "/v1/streams/alerts/elements", {
      elements,
      key: "user-7",
    });
    expect(response.status).toBe(202);
    await pollUntil(async () => (received.length >= 3 ? true : undefined), {
      what: "3 queued windows",
    });
    expect(received).toHaveLength(3);
    expect(new Set(received.map((w) => w.id)).size).toBe(3);
    expect(received.flatMap((w) => w.elements)).toEqual(elements);
    for (const w of received) {
      expect(w).toMatchObject({ stream: "alerts", key: "user-7", reason: "count", attempt: 1 });
    }
    const stats = await worker.request("GET", "/v1/streams/alerts");
    expect(stats.body).toMatchObject({ ready: 0, inFlight: 0, dead: 0 });
  });

  it("retries a window the queue refuses (too large a message), then dead-letters it", async () => {
    const response = await worker.request("POST", "/v1/streams/huge/elements", {
      elements: ["x".repeat(200_000)],
    });
    expect(response.status).toBe(202);
    await pollUntil(
      async () => {
        const stats = await worker.request("GET", "/v1/streams/huge");
        if (stats.body.dead === 1) return true;
        expect(await worker.scheduled()).toBe("ok");
        return undefined;
      },
      { what: "dead letter" },
    );
    const failures = worker.logs.filter((l) => l.message.includes("queue sendBatch failed"));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(received.some((w) => w.stream === "huge")).toBe(false);
  });
});
