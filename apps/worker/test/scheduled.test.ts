import { afterAll, describe, expect, it } from "vitest";
import { upstashBackend } from "./backends.js";
import { API_TOKEN, startWorker, type TestWorker } from "./harness.js";

const PULL = { audit: { maxCount: 10, timeout: "1 s", sink: { type: "pull" } } };
const workers: TestWorker[] = [];
afterAll(async () => {
  for (const w of workers) await w.dispose();
});

async function boot(bindings: Record<string, unknown>): Promise<TestWorker> {
  const worker = await startWorker({ bindings });
  workers.push(worker);
  return worker;
}

/** The Worker's error log lines, parsed (it logs one JSON object per line). */
const errors = (w: TestWorker) =>
  w.logs
    .map((l) => JSON.parse(l.message) as Record<string, string>)
    .filter((l) => l.level === "error");
const errorText = (w: TestWorker) =>
  errors(w)
    .map((l) => `${l.message}: ${l.error}`)
    .join("\n");

describe("scheduled() never throws", () => {
  it("on an empty MemoryStore", async () => {
    const worker = await boot({ STREAMS: PULL });
    expect(await worker.scheduled()).toBe("ok");
    expect(errors(worker)).toEqual([]);
  });

  it("on an empty Upstash store", async () => {
    const backend = upstashBackend();
    try {
      const worker = await boot({ ...(await backend.setup()), STREAMS: PULL });
      expect(await worker.scheduled()).toBe("ok");
      expect(errors(worker)).toEqual([]);
    } finally {
      await backend.cleanup();
    }
  });

  it.each([
    ["STREAMS unset", {}, "STREAMS is not set", "invalid_config"],
    [
      "a STREAMS field wrong",
      { STREAMS: { audit: { maxCount: -1, timeout: "1 s", sink: { type: "pull" } } } },
      'STREAMS stream "audit", field "maxCount"',
      "invalid_config",
    ],
    [
      "a webhook secret missing",
      {
        STREAMS: {
          hooks: {
            timeout: "1 s",
            sink: { type: "webhook", url: "https://x.test", secret: "NOPE" },
          },
        },
      },
      'STREAMS stream "hooks", field "sink.secret"',
      "invalid_config",
    ],
    [
      "only the Upstash URL set",
      { STREAMS: PULL, UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1" },
      "UPSTASH_REDIS_REST_TOKEN",
      "not_configured",
    ],
    [
      "a malformed Upstash URL",
      {
        STREAMS: PULL,
        UPSTASH_REDIS_REST_URL: "redis.example",
        UPSTASH_REDIS_REST_TOKEN: "t0ken-value",
      },
      "UPSTASH_REDIS_REST_URL",
      "not_configured",
    ],
  ])("with %s: logs why, and requests get a 500 naming it", async (_name, bindings, why, code) => {
    const worker = await boot(bindings);
    expect(await worker.scheduled()).toBe("ok");
    expect(errorText(worker)).toContain(why);
    const response = await worker.request("POST", "/v1/streams/audit/elements", { elements: [1] });
    expect(response.status).toBe(500);
    expect(response.body.error.code).toBe(code);
    expect(response.body.error.message).toContain(why);
    expect(JSON.stringify(response.body)).not.toContain("t0ken-value");
  });

  it("with Upstash unreachable: logs per stream, and requests get a 503 without details", async () => {
    const worker = await boot({
      STREAMS: PULL,
      UPSTASH_REDIS_REST_URL: "http://127.0.0.1:1",
      UPSTASH_REDIS_REST_TOKEN: "t0ken-value",
    });
    expect(await worker.scheduled()).toBe("ok");
    expect(errors(worker)).toContainEqual(
      expect.objectContaining({ message: "tick", trigger: "cron", stream: "audit" }),
    );
    const response = await worker.request("POST", "/v1/streams/audit/elements", { elements: [1] });
    expect(response).toMatchObject({ status: 503, body: { error: { code: "store_unavailable" } } });
    const everything = JSON.stringify(response.body) + JSON.stringify(worker.logs);
    expect(everything).not.toContain("t0ken-value");
    expect(everything).not.toContain(API_TOKEN);
  }, 60_000);
});
