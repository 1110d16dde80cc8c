import { DistributedTimeWindow, redisStore } from "@dtw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Cluster } from "./support/cluster.js";
import { analyze, elementsOf } from "./support/ledger.js";
import { pollUntil } from "./support/poll.js";
import { type NodeConfig, parseElement, type StreamConfig } from "./support/protocol.js";
import { acquireRedis, type TestRedis } from "./support/redis-server.js";

const STREAM: StreamConfig = {
  name: "crash",
  strategy: "tumbling",
  timeoutMs: 1_000,
  maxCount: 50,
};
const LEASE_MS = 500;

let redis: TestRedis;
let cluster: Cluster | undefined;
beforeAll(async () => {
  redis = await acquireRedis({ label: "e2e" });
});
afterAll(async () => {
  await cluster?.destroy();
  await redis?.cleanup();
});

describe("a node SIGKILLed mid-run", () => {
  it("loses nothing it acknowledged; windows it held are redelivered by another node", async () => {
    const prefix = redis.prefix();
    const base = {
      redisUrl: redis.url,
      prefix,
      streams: [STREAM],
      inFlight: 16,
      leaseMs: LEASE_MS,
      pollIntervalMs: 50,
      reportAcks: true,
    };
    const configs: NodeConfig[] = [
      { ...base, node: "survivor-a", elements: 6_000 },
      { ...base, node: "survivor-b", elements: 6_000 },
      // More than it can push before it is killed: it dies with pushes in flight.
      { ...base, node: "killed-pushing", elements: 1_000_000 },
      // Its first handler call blocks; it is killed there, holding that window's lease.
      { ...base, node: "killed-in-handler", elements: 6_000, blockInHandler: true },
    ];
    const started = await Cluster.start(configs);
    cluster = started;
    const killed = new Set(["killed-pushing", "killed-in-handler"]);
    // One kill at a time, so that the window held by the second victim can only be
    // redelivered by a survivor.
    started.go(["survivor-a", "survivor-b", "killed-pushing"]);
    await started.waitFor(
      () => (started.acked.get("killed-pushing")?.length ?? 0) >= 2_000,
      20_000,
      "2,000 acknowledged pushes from the node to kill",
    );
    await started.nodes.get("killed-pushing")?.kill();
    started.go(["killed-in-handler"]);
    await started.waitFor(() => started.blocked.length > 0, 20_000, "a handler to block");
    await started.nodes.get("killed-in-handler")?.kill();

    // Everything acknowledged to a killed node (any ack that reached us) must come out.
    const expected = new Set([
      ...elementsOf("survivor-a", 6_000),
      ...elementsOf("survivor-b", 6_000),
    ]);
    for (const node of killed)
      for (const i of started.acked.get(node) ?? []) expected.add(`${node}:${i}`);
    const missing = new Set(expected);
    let seen = 0;
    await started.waitFor(
      () => {
        for (; seen < started.delivered.length; seen++)
          for (const e of started.delivered[seen]?.elements ?? []) missing.delete(e);
        return missing.size === 0;
      },
      20_000,
      "every acknowledged element to be delivered",
    );

    // Nothing left behind either: no open, ready or leased window once the survivors tick.
    const store = redisStore(redis.url, { prefix });
    const observer = new DistributedTimeWindow<string>({
      name: STREAM.name,
      strategy: STREAM.strategy,
      timeoutMs: STREAM.timeoutMs,
      maxCount: STREAM.maxCount,
      store,
      autoTick: false,
    });
    const stats = await pollUntil(
      () => observer.stats(),
      (s) => s.open + s.ready + s.inFlight === 0,
      { timeoutMs: 10_000, what: "the survivors to drain the stream" },
    );
    await observer.close();
    await store.close?.();
    await started.close();

    expect(stats).toMatchObject({ open: 0, ready: 0, inFlight: 0, dead: 0 });
    // Nothing outside the index range each node was configured to push.
    const range = new Map(configs.map((c) => [c.node, c.elements]));
    const pushed = (element: string) => {
      const { node, index } = parseElement(element);
      return Number.isInteger(index) && index >= 0 && index < (range.get(node) ?? 0);
    };
    const report = analyze(started.delivered, STREAM.name, {
      maxCount: STREAM.maxCount,
      expected,
      pushed,
    });
    expect(report.lost).toEqual([]);
    expect(report.duplicated).toEqual([]);
    expect(report.unexpected).toEqual([]);
    expect(report.changedOnRedelivery).toEqual([]);
    expect(report.overfull).toEqual([]);
    expect(report.outOfOrder).toEqual([]);

    // The window held inside the blocked handler: same id, same elements, attempt 2, elsewhere.
    const held = started.blocked[0];
    const redelivered = started.delivered.filter((w) => w.id === held?.id);
    expect(redelivered).toHaveLength(1);
    expect(redelivered[0]).toMatchObject({
      id: held?.id,
      key: held?.key,
      elements: held?.elements,
      attempt: 2,
    });
    expect(killed.has(redelivered[0]?.node ?? "killed-in-handler")).toBe(false); // a survivor

    // Any other redelivery is of a window whose first delivery was on a killed node.
    const firstBy = new Map<string, string>();
    for (const w of started.delivered) if (!firstBy.has(w.id)) firstBy.set(w.id, w.node);
    for (const w of report.redeliveries) {
      expect(killed.has(firstBy.get(w.id) ?? "")).toBe(true);
      expect(w.attempt).toBeGreaterThan(1);
    }
    console.log(
      `[e2e] crash: ${expected.size} acknowledged elements (${started.acked.get("killed-pushing")?.length} from the node killed while pushing) ` +
        `all delivered once in ${report.windows} windows; redelivered after lease expiry: ${report.redeliveries.length + 1} window(s)`,
    );
  });
});
