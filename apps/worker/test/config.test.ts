import { describe, expect, it } from "vitest";
import { parseStreams } from "../src/config.js";

const queue = { sendBatch: async () => {} };
const env = (STREAMS: unknown) => ({ STREAMS, WEBHOOK_SECRET: "x", ALERTS_QUEUE: queue });
const pull = { type: "pull" };

describe("STREAMS", () => {
  it("parses the DESIGN.md example, durations in ms, defaults filled in", () => {
    const streams = parseStreams(
      env(
        JSON.stringify({
          orders: {
            maxCount: 100,
            timeout: "5 s",
            strategy: "tumbling",
            sink: { type: "webhook", url: "https://example.com/hook", secret: "WEBHOOK_SECRET" },
          },
          alerts: {
            timeout: "30 s",
            strategy: "last",
            maxWait: "5 m",
            sink: { type: "queue", binding: "ALERTS_QUEUE" },
          },
          audit: { maxCount: 500, timeout: "1 m", sink: { type: "pull" } },
        }),
      ),
    );
    expect(streams.get("orders")).toEqual({
      spec: {
        name: "orders",
        strategy: "tumbling",
        maxCount: 100,
        timeoutMs: 5000,
        maxWaitMs: Number.POSITIVE_INFINITY,
      },
      sink: {
        type: "webhook",
        url: "https://example.com/hook",
        secret: "WEBHOOK_SECRET",
        timeoutMs: 10_000,
      },
      maxAttempts: 5,
      retryDelayMs: 1000,
      maxRetryDelayMs: 60_000,
      leaseMs: 30_000,
      maxWindowsPerRun: 100,
    });
    expect(streams.get("alerts")?.spec).toMatchObject({
      strategy: "last",
      maxCount: Number.POSITIVE_INFINITY,
      maxWaitMs: 300_000,
    });
    expect(streams.get("audit")?.sink).toEqual({ type: "pull" });
  });

  it("accepts STREAMS as an object (a wrangler vars table)", () => {
    expect(parseStreams(env({ a: { timeout: 250, sink: pull } })).get("a")?.spec.timeoutMs).toBe(
      250,
    );
  });

  it.each([
    ["unset", undefined, "STREAMS is not set"],
    ["not JSON", "{orders:", "STREAMS is not valid JSON"],
    ["an array", "[]", "STREAMS must be a JSON object"],
    ["a stream that is no object", { orders: 5 }, 'stream "orders": must be an object'],
    ["empty", "{}", "STREAMS is empty"],
    ["a bad stream name", { "bad name": { timeout: "1 s", sink: pull } }, 'stream "bad name"'],
    ["no timeout", { orders: { sink: pull } }, 'stream "orders", field "timeout": is required'],
    [
      "a bad duration",
      { orders: { timeout: "5 parsecs", sink: pull } },
      'stream "orders", field "timeout": must be a duration',
    ],
    ["a zero duration", { orders: { timeout: 0, sink: pull } }, 'field "timeout"'],
    [
      "maxCount 0",
      { orders: { timeout: "1 s", maxCount: 0, sink: pull } },
      'stream "orders", field "maxCount": must be an integer >= 1',
    ],
    ["maxCount 1.5", { orders: { timeout: "1 s", maxCount: 1.5, sink: pull } }, 'field "maxCount"'],
    [
      "an unknown strategy",
      { orders: { timeout: "1 s", strategy: "sliding", sink: pull } },
      'field "strategy"',
    ],
    [
      "maxWait without last",
      { orders: { timeout: "1 s", maxWait: "1 m", sink: pull } },
      'field "maxWait"',
    ],
    [
      "an unknown field",
      { orders: { timeout: "1 s", maxcount: 5, sink: pull } },
      'field "maxcount": is not a known field',
    ],
    ["no sink", { orders: { timeout: "1 s" } }, 'field "sink"'],
    [
      "an unknown sink",
      { orders: { timeout: "1 s", sink: { type: "email" } } },
      'field "sink.type"',
    ],
    [
      "a webhook without url",
      { orders: { timeout: "1 s", sink: { type: "webhook", secret: "WEBHOOK_SECRET" } } },
      'field "sink.url"',
    ],
    [
      "a non-http url",
      {
        orders: {
          timeout: "1 s",
          sink: { type: "webhook", url: "ftp://x", secret: "WEBHOOK_SECRET" },
        },
      },
      'field "sink.url"',
    ],
    [
      "a secret value instead of a name",
      {
        orders: { timeout: "1 s", sink: { type: "webhook", url: "https://x", secret: "abc def" } },
      },
      'field "sink.secret"',
    ],
    [
      "a secret not set",
      {
        orders: { timeout: "1 s", sink: { type: "webhook", url: "https://x", secret: "MISSING" } },
      },
      'field "sink.secret": the secret MISSING is not set',
    ],
    [
      "a binding that is no queue",
      { orders: { timeout: "1 s", sink: { type: "queue", binding: "WEBHOOK_SECRET" } } },
      'field "sink.binding"',
    ],
    [
      "a retry delay that is no duration",
      { orders: { timeout: "1 s", retryDelay: "soon", sink: pull } },
      'field "retryDelay"',
    ],
  ])("rejects %s, naming where", (_name, streams, message) => {
    expect(() => parseStreams(env(streams))).toThrow(message);
  });

  it("never echoes a secret's value", () => {
    const secretEnv = {
      ...env({
        o: { timeout: "1 s", sink: { type: "webhook", url: "ftp://x", secret: "WEBHOOK_SECRET" } },
      }),
      WEBHOOK_SECRET: "hunter2",
    };
    expect(() => parseStreams(secretEnv)).toThrow(/^(?!.*hunter2)/s);
  });
});
