import { describe, expect, it } from "vitest";
import { e2eFile, expectNone } from "./support/e2e.js";
import { analyze, elementsOf } from "./support/ledger.js";
import { pollUntil } from "./support/poll.js";
import { parseElement, type StreamConfig } from "./support/protocol.js";

const STREAM: StreamConfig = {
  name: "crash",
  strategy: "tumbling",
  timeoutMs: 1_000,
  maxCount: 50,
};
const LEASE_MS = 500;

const e2e = e2eFile();

describe("a node SIGKILLed mid-run", () => {
  it("loses nothing it acknowledged; windows it held are redelivered by another node", async () => {
    const nodes = [
      "survivor-a",
      "survivor-b",
      // More than it can push before it is killed: it dies with pushes in flight.
      { node: "killed-pushing", elements: 1_000_000 },
      // Its first handler call blocks; it is killed there, holding that window's lease.
      { node: "killed-in-handler", blockInHandler: true },
    ];
    const run = await e2e.start(nodes, {
      streams: [STREAM],
      elements: 6_000,
      inFlight: 16,
      leaseMs: LEASE_MS,
      pollIntervalMs: 50,
      reportAcks: true,
    });
    const { cluster: started, configs } = run;
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
    const observer = run.observe(STREAM);
    const stats = await pollUntil(
      () => observer.window.stats(),
      (s) => s.open + s.ready + s.inFlight === 0,
      { timeoutMs: 10_000, what: "the survivors to drain the stream" },
    );
    await observer.close();
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
    expectNone(report, [
      "lost",
      "duplicated",
      "unexpected",
      "changedOnRedelivery",
      "overfull",
      "outOfOrder",
    ]);

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
