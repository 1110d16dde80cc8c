import { expect, it } from "vitest";
import { DistributedTimeWindow } from "../src/engine.js";
import { MemoryStore } from "../src/memory/memory-store.js";
import type { Window } from "../src/window.js";
import { FakeClock } from "./conformance/fake-clock.js";

it("8 nodes sharing one MemoryStore deliver every element exactly once, in order, within maxCount", async () => {
  const clock = new FakeClock();
  const store = new MemoryStore({ clock: clock.now });
  const delivered: Window<{ node: number; seq: number }>[] = [];
  const nodes = Array.from(
    { length: 8 },
    () =>
      new DistributedTimeWindow<{ node: number; seq: number }>({
        name: "shared",
        store,
        maxCount: 37,
        timeoutMs: 250,
        autoTick: false,
        onWindow: async (w) => {
          await Promise.resolve();
          delivered.push(w);
        },
        onError: (e) => {
          throw e;
        },
      }),
  );
  const perNode = 2000;
  await Promise.all(
    nodes.map(async (tw, node) => {
      for (let seq = 0; seq < perNode; seq += 4) {
        // 4 pushes in flight per node, to several keys.
        await Promise.all(
          [0, 1, 2, 3].map((i) => tw.push({ node, seq: seq + i }, { key: `k${(seq + i) % 3}` })),
        );
        if (seq % 100 === 0) {
          clock.advance(37);
          await nodes[(seq / 4) % nodes.length]?.tick();
        }
      }
    }),
  );
  clock.advance(1000);
  await Promise.all(nodes.map((tw) => tw.tick()));
  await Promise.all(nodes.map((tw) => tw.idle()));
  const flushed = await nodes[0]?.flush();
  expect(flushed).toEqual([]);

  const seen = new Set<string>();
  for (const w of delivered) {
    expect(w.elements.length).toBeLessThanOrEqual(37);
    const lastSeq = new Map<number, number>();
    for (const e of w.elements) {
      const id = `${e.node}:${e.seq}`;
      expect(seen.has(id)).toBe(false);
      seen.add(id);
      expect(`k${e.seq % 3}`).toBe(w.key);
      // One node's pushes to one key keep their order inside a window.
      expect(e.seq).toBeGreaterThan(lastSeq.get(e.node) ?? -1);
      lastSeq.set(e.node, e.seq);
    }
  }
  expect(seen.size).toBe(8 * perNode);
  expect(new Set(delivered.map((w) => w.id)).size).toBe(delivered.length);
});
