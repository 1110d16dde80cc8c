import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "./backends.js";
import { startWorker, type TestWorker, WEBHOOK_SECRET } from "./harness.js";
import { pollUntil } from "./poll.js";
import { type Delivery, type Receiver, startReceiver } from "./receiver.js";

interface Element {
  r: number;
  i: number;
}

const REQUESTS = 100;
const PER_REQUEST = 20;
const TOTAL = REQUESTS * PER_REQUEST;
const CONCURRENCY = 10;
const MAX_COUNT = 64;
const KEYS = 4;

describe.each(backends())("webhook sink on $name", (backend: Backend) => {
  let receiver: Receiver;
  let worker: TestWorker;
  let gate: { promise: Promise<void>; open: () => void };

  beforeAll(async () => {
    receiver = await startReceiver(WEBHOOK_SECRET);
    gate = deferred();
    const env = await backend.setup();
    const webhook = { type: "webhook", url: receiver.url, secret: "WEBHOOK_SECRET" };
    receiver.respond = async (w) => {
      if (w.stream === "flaky") return w.attempt === 1 ? 500 : 200;
      if (w.stream === "doomed") return doomedStatus;
      if (w.stream === "slow") await gate.promise;
      return 200;
    };
    worker = await startWorker({
      bindings: {
        ...env,
        STREAMS: {
          orders: { maxCount: MAX_COUNT, timeout: "300 ms", strategy: "first", sink: webhook },
          flaky: { maxCount: 10, timeout: "1 h", retryDelay: "20 ms", sink: webhook },
          doomed: {
            maxCount: 5,
            timeout: "1 h",
            maxAttempts: 3,
            retryDelay: "10 ms",
            sink: webhook,
          },
          slow: { maxCount: 5, timeout: "1 h", sink: webhook },
          digest: { timeout: "200 ms", strategy: "first", sink: webhook },
          burst: {
            maxCount: 1,
            timeout: "1 h",
            lease: "200 ms",
            maxWindowsPerRun: 2,
            sink: webhook,
          },
        },
      },
    });
  });
  afterAll(async () => {
    gate?.open();
    await worker?.dispose();
    await receiver?.close();
    await backend.cleanup();
  });

  let doomedStatus = 500;
  const delivered = (stream: string) =>
    receiver.deliveries.filter((d) => d.window.stream === stream && d.status === 200);

  /** Runs the cron until `done()` or the deadline: windows close by the store's real clock. */
  async function cronUntil(done: () => boolean | Promise<boolean>, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`not done ${timeoutMs} ms after the pushes`);
      expect(await worker.scheduled()).toBe("ok");
      // Wake on the next delivery, or re-run the cron after 100 ms.
      await receiver.until(() => false, 100).catch(() => {});
    }
  }

  it(`delivers ${TOTAL} elements pushed by ${REQUESTS} concurrent requests exactly once, signed, in order`, async () => {
    const started = performance.now();
    let next = 0;
    const latencies: number[] = [];
    const pushOne = async () => {
      while (next < REQUESTS) {
        const r = next++;
        const elements = Array.from({ length: PER_REQUEST }, (_, i): Element => ({ r, i }));
        const sent = performance.now();
        const response = await worker.request("POST", "/v1/streams/orders/elements", {
          elements,
          key: `k${r % KEYS}`,
        });
        latencies.push(performance.now() - sent);
        expect(response).toMatchObject({ status: 202, body: { accepted: PER_REQUEST } });
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, pushOne));
    const pushedAt = performance.now();
    const count = () => delivered("orders").reduce((n, d) => n + d.window.elements.length, 0);
    await cronUntil(() => count() >= TOTAL);
    const doneAt = performance.now();

    const deliveries = receiver.deliveries.filter((d) => d.window.stream === "orders");
    expect(deliveries.every((d) => d.signatureValid && d.headerId === d.window.id)).toBe(true);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    // No failure happened, so no window was delivered twice.
    expect(new Set(deliveries.map((d) => d.window.id)).size).toBe(deliveries.length);
    const seen = new Set<string>();
    for (const { window } of deliveries) {
      expect(window.elements.length).toBeGreaterThan(0);
      expect(window.elements.length).toBeLessThanOrEqual(MAX_COUNT);
      const last = new Map<number, number>();
      for (const e of window.elements as Element[]) {
        expect(window.key).toBe(`k${e.r % KEYS}`);
        const id = `${e.r}/${e.i}`;
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        // Acceptance order: a request's elements stay in order within the window.
        expect(e.i).toBeGreaterThan(last.get(e.r) ?? -1);
        last.set(e.r, e.i);
      }
    }
    expect(seen.size).toBe(TOTAL);
    await expectDrained("orders");
    const reasons = countBy(deliveries, (d) => d.window.reason);
    console.info(
      `[${backend.name}] ${TOTAL} elements, ${REQUESTS} requests x${CONCURRENCY}: pushes ${ms(pushedAt - started)} ` +
        `(push p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}), ` +
        `last window delivered ${ms(doneAt - pushedAt)} after the last push; ` +
        `${deliveries.length} windows ${JSON.stringify(reasons)}`,
    );
  });

  it("answers 202 before delivering the windows the push closed (waitUntil)", async () => {
    const response = await worker.request("POST", "/v1/streams/slow/elements", {
      elements: [1, 2, 3, 4, 5],
    });
    expect(response.status).toBe(202);
    // The receiver holds the delivery until the gate opens, which happens only now.
    await receiver.until(() => receiver.pending === 1);
    expect(delivered("slow")).toHaveLength(0);
    gate.open();
    await receiver.until(() => delivered("slow").length === 1);
    expect(delivered("slow")[0]?.window.elements).toEqual([1, 2, 3, 4, 5]);
  });

  it("closes and delivers a quiet key's due window on another key's push, without the cron", async () => {
    await worker.request("POST", "/v1/streams/digest/elements", { elements: ["q"], key: "quiet" });
    // Pushes to another key tick the stream at most once a second per isolate.
    await pollUntil(
      async () => {
        if (delivered("digest").some((d) => d.window.key === "quiet")) return true;
        await worker.request("POST", "/v1/streams/digest/elements", { elements: [0], key: "busy" });
        return undefined;
      },
      { what: "push-path tick", intervalMs: 100, timeoutMs: 5_000 },
    );
    const quiet = delivered("digest").find((d) => d.window.key === "quiet");
    expect(quiet?.window).toMatchObject({ elements: ["q"], reason: "time", attempt: 1 });
  });

  it("bounds the deliveries one push starts; the rest follow once their lease expires", async () => {
    const response = await worker.request("POST", "/v1/streams/burst/elements", {
      elements: [0, 1, 2, 3, 4],
    });
    expect(response.status).toBe(202);
    await receiver.until(() => delivered("burst").length === 2);
    await cronUntil(() => delivered("burst").length === 5);
    const windows = delivered("burst").map((d) => d.window);
    expect(windows.flatMap((w) => w.elements).sort()).toEqual([0, 1, 2, 3, 4]);
    expect(windows.map((w) => w.attempt)).toEqual([1, 1, 2, 2, 2]);
    await expectDrained("burst");
  });

  it("redelivers a window whose webhook failed with the same id and elements", async () => {
    const elements = Array.from({ length: 30 }, (_, i) => ({ n: i }));
    const response = await worker.request("POST", "/v1/streams/flaky/elements", { elements });
    expect(response.status).toBe(202);
    await cronUntil(() => delivered("flaky").length === 3);

    const all = receiver.deliveries.filter((d) => d.window.stream === "flaky");
    const byId = groupBy(all, (d) => d.window.id);
    expect(byId.size).toBe(3);
    for (const attempts of byId.values()) {
      expect(attempts.map((d) => [d.window.attempt, d.status])).toEqual([
        [1, 500],
        [2, 200],
      ]);
      expect(attempts[1]?.window.elements).toEqual(attempts[0]?.window.elements);
    }
    // Redeliveries run concurrently: windows may arrive in any order, elements within them not.
    const first = (d: Delivery) => (d.window.elements[0] as { n: number }).n;
    const got = delivered("flaky")
      .sort((a, b) => first(a) - first(b))
      .flatMap((d) => d.window.elements);
    expect(got).toEqual(elements);
    await expectDrained("flaky");
  });

  it("dead-letters a window after maxAttempts, lists it, and replays it", async () => {
    await worker.request("POST", "/v1/streams/doomed/elements", {
      elements: ["a", "b", "c", "d", "e"],
    });
    await cronUntil(async () => (await stats("doomed")).dead === 1);
    const attempts = receiver.deliveries.filter((d) => d.window.stream === "doomed");
    expect(attempts.map((d) => [d.window.attempt, d.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
    expect(new Set(attempts.map((d) => d.window.id)).size).toBe(1);
    expect(await stats("doomed")).toMatchObject({ open: 0, ready: 0, inFlight: 0, dead: 1 });

    const listed = await worker.request("GET", "/v1/streams/doomed/dead-letters");
    expect(listed.status).toBe(200);
    expect(listed.body.windows).toHaveLength(1);
    expect(listed.body.windows[0]).toMatchObject({
      id: attempts[0]?.window.id,
      elements: ["a", "b", "c", "d", "e"],
    });

    doomedStatus = 200;
    const replay = await worker.request("POST", "/v1/streams/doomed/replay", {
      ids: [attempts[0]?.window.id],
    });
    expect(replay.body).toEqual({ replayed: 1 });
    await cronUntil(() => delivered("doomed").length === 1);
    expect(delivered("doomed")[0]?.window).toMatchObject({
      id: attempts[0]?.window.id,
      attempt: 1,
      elements: ["a", "b", "c", "d", "e"],
    });
    expect(await stats("doomed")).toMatchObject({ ready: 0, inFlight: 0, dead: 0 });
  });

  async function stats(stream: string) {
    const response = await worker.request("GET", `/v1/streams/${stream}`);
    expect(response.status).toBe(200);
    return response.body;
  }

  async function expectDrained(stream: string) {
    expect(await stats(stream)).toMatchObject({
      open: 0,
      pendingElements: 0,
      ready: 0,
      inFlight: 0,
      dead: 0,
    });
  }
});

function deferred() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

function countBy<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

const ms = (n: number) => `${Math.round(n)} ms`;

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
