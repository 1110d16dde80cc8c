import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Backend, backends } from "./backends.js";
import { startWorker, type TestWorker } from "./harness.js";
import { pollUntil } from "./poll.js";

interface ClaimedWindow {
  id: string;
  stream: string;
  key: string;
  elements: unknown[];
  reason: string;
  attempt: number;
}

describe.each(backends())("pull sink on $name", (backend: Backend) => {
  let worker: TestWorker;

  beforeAll(async () => {
    worker = await startWorker({
      bindings: {
        ...(await backend.setup()),
        STREAMS: {
          audit: { maxCount: 3, timeout: "1 h", lease: "1 s", sink: { type: "pull" } },
          poison: {
            maxCount: 2,
            timeout: "1 h",
            lease: "100 ms",
            maxAttempts: 2,
            sink: { type: "pull" },
          },
        },
      },
    });
  });
  afterAll(async () => {
    await worker?.dispose();
    await backend.cleanup();
  });

  const claim = async (stream: string, max: number) => {
    const response = await worker.request("POST", `/v1/streams/${stream}/claim?max=${max}`);
    expect(response.status).toBe(200);
    return response.body as { leaseMs: number; windows: ClaimedWindow[] };
  };
  const stats = async (stream: string) =>
    (await worker.request("GET", `/v1/streams/${stream}`)).body;

  it("claims with a lease, acks, and re-claims a window whose lease expired", async () => {
    const pushed = await worker.request("POST", "/v1/streams/audit/elements", {
      elements: [0, 1, 2, 3, 4, 5, 6],
    });
    expect(pushed.status).toBe(202);
    expect(await stats("audit")).toMatchObject({
      open: 1,
      pendingElements: 1,
      ready: 2,
      inFlight: 0,
    });

    const first = await claim("audit", 1);
    expect(first.leaseMs).toBe(1000);
    expect(first.windows).toHaveLength(1);
    expect(first.windows[0]).toMatchObject({
      stream: "audit",
      key: "",
      elements: [0, 1, 2],
      reason: "count",
    });
    // The other window is still claimable; the first is leased.
    const second = await claim("audit", 10);
    expect(second.windows.map((w) => w.elements)).toEqual([[3, 4, 5]]);
    expect(await claim("audit", 10)).toMatchObject({ windows: [] });
    expect(await stats("audit")).toMatchObject({ ready: 0, inFlight: 2 });

    const ack = await worker.request("POST", "/v1/streams/audit/ack", {
      ids: [first.windows[0]?.id],
    });
    expect(ack.body).toEqual({ acked: 1 });
    const again = await worker.request("POST", "/v1/streams/audit/ack", {
      ids: [first.windows[0]?.id],
    });
    expect(again.body).toEqual({ acked: 0 });

    // Not acked: once its lease expires the window comes back, same id and elements.
    const lost = second.windows[0] as ClaimedWindow;
    const reclaimed = await pollUntil(async () => (await claim("audit", 10)).windows[0], {
      what: "lease expiry",
      timeoutMs: 5_000,
    });
    expect(reclaimed).toMatchObject({
      id: lost.id,
      elements: [3, 4, 5],
      attempt: lost.attempt + 1,
    });
    expect(
      (await worker.request("POST", "/v1/streams/audit/ack", { ids: [lost.id] })).body,
    ).toEqual({
      acked: 1,
    });

    const flushed = await worker.request("POST", "/v1/streams/audit/flush");
    expect(flushed).toMatchObject({ status: 200, body: { closed: 1 } });
    const last = await claim("audit", 10);
    expect(last.windows).toHaveLength(1);
    expect(last.windows[0]).toMatchObject({ elements: [6], reason: "flush" });
    await worker.request("POST", "/v1/streams/audit/ack", { ids: [last.windows[0]?.id] });
    expect(await stats("audit")).toMatchObject({
      open: 0,
      pendingElements: 0,
      ready: 0,
      inFlight: 0,
      dead: 0,
    });
  });

  it("dead-letters a window whose leases keep expiring unacknowledged", async () => {
    await worker.request("POST", "/v1/streams/poison/elements", { elements: ["x", "y"] });
    const first = await claim("poison", 10);
    expect(first.windows).toHaveLength(1);
    const id = first.windows[0]?.id;
    // Each claim after a lease expired counts an attempt; past maxAttempts the claim parks it.
    await pollUntil(
      async () => {
        if ((await stats("poison")).dead === 1) return true;
        await claim("poison", 10);
        return undefined;
      },
      { what: "dead letter", timeoutMs: 5_000 },
    );
    expect(await claim("poison", 10)).toMatchObject({ windows: [] });
    const dead = await worker.request("GET", "/v1/streams/poison/dead-letters");
    expect(dead.body.windows).toEqual([expect.objectContaining({ id, elements: ["x", "y"] })]);
  });
});
