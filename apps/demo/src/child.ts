// One demo node in its own process (the Redis mode): forked by ProcessCluster, talks over IPC.
import { redisStore } from "@dtw/node";
import { specOf } from "./cluster.js";
import { type ChildMessage, errorMessage, type ParentMessage } from "./ipc.js";
import { DemoNode } from "./node.js";
import { type DemoEvent, ORDERS, type StreamName } from "./streams.js";
import { nodeSchedule } from "./traffic.js";

/** Accepted ids are batched: one IPC message per push would cost more than the push. */
const ACCEPTED_FLUSH_MS = 50;

const send = (message: ChildMessage) => process.send?.(message);
const accepted = new Map<StreamName, DemoEvent[]>();

function flushAccepted(): void {
  for (const [stream, events] of accepted) {
    if (events.length > 0) send({ type: "accepted", stream, events });
  }
  accepted.clear();
}

let node: DemoNode | undefined;
let store: ReturnType<typeof redisStore> | undefined;
const stopped = new AbortController();
let drained = false;

async function onMessage(message: ParentMessage): Promise<void> {
  switch (message.type) {
    case "init": {
      const url = process.env.REDIS_URL;
      if (!url) throw new Error("REDIS_URL is not set in the node process");
      store = redisStore(url, { prefix: message.prefix });
      await store.stats(specOf(ORDERS)); // connect before the clock starts
      node = new DemoNode({
        node: message.node,
        store,
        clock: Date.now,
        schedule: nodeSchedule(message.options, message.node),
        report: {
          accepted: (stream, events) => {
            accepted.set(stream, [...(accepted.get(stream) ?? []), ...events]);
          },
          rejected: (stream, events, error) =>
            send({ type: "rejected", stream, events: [...events], message: errorMessage(error) }),
          delivered: (window, from, deliveredAt) =>
            send({ type: "delivered", window, node: from, deliveredAt }),
          error: (from, error) => send({ type: "error", node: from, message: errorMessage(error) }),
        },
      });
      send({ type: "ready" });
      return;
    }
    case "start": {
      const flusher = setInterval(flushAccepted, ACCEPTED_FLUSH_MS);
      try {
        await node?.run(message.startAt, message.endAt, stopped.signal);
      } finally {
        clearInterval(flusher);
        flushAccepted();
      }
      send({ type: "ran" });
      return;
    }
    case "stop": {
      stopped.abort();
      return;
    }
    case "drain": {
      if (message.how === "shutdown") await node?.shutdown();
      else await node?.close();
      await store?.close();
      drained = true;
      // Disconnect only once "drained" (and so everything before it) has left this process.
      process.send?.({ type: "drained" } satisfies ChildMessage, undefined, {}, () =>
        process.disconnect(),
      );
      return;
    }
  }
}

// Ctrl-C reaches the whole process group; the parent decides (it stops the traffic, then drains).
process.on("SIGINT", () => {});
// The parent is gone without draining us: nobody would read our reports.
process.on("disconnect", () => {
  if (!drained) process.exit(1);
});

process.on("message", (message: ParentMessage) => {
  onMessage(message).catch((error: unknown) => {
    console.error(`demo node: ${errorMessage(error)}`);
    process.exit(1);
  });
});
