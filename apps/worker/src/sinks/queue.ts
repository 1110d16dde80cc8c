import type { StoredWindow } from "@dtw/core";
import { messageOf } from "../log.js";
import { windowJson } from "../window-json.js";
import type { SendOutcome, Sink } from "./sink.js";

/** Cloudflare Queues accept at most 100 messages per `sendBatch`. */
const BATCH = 100;

/** The part of a Queue producer binding this sink uses. */
export interface QueueProducer {
  sendBatch(messages: Iterable<{ body: unknown; contentType?: "json" }>): Promise<unknown>;
}

/**
 * Sends each window as one message (the `Window` object, content type `json`), 100 per
 * `sendBatch`. A rejected batch fails every window in it; they are retried with backoff.
 */
export function queueSink(queue: QueueProducer): Sink {
  return {
    async send(stream, windows) {
      const outcomes: SendOutcome[] = [];
      for (let start = 0; start < windows.length; start += BATCH) {
        const chunk = windows.slice(start, start + BATCH);
        let outcome: SendOutcome = null;
        try {
          await queue.sendBatch(
            chunk.map((w: StoredWindow) => ({
              body: JSON.parse(windowJson(stream, w)),
              contentType: "json" as const,
            })),
          );
        } catch (error) {
          outcome = new Error(`queue sendBatch failed: ${messageOf(error)}`);
        }
        for (const _ of chunk) outcomes.push(outcome);
      }
      return outcomes;
    },
  };
}
