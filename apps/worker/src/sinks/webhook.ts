import type { StoredWindow } from "@dtw/core";
import { messageOf } from "../log.js";
import { SIGNATURE_HEADER, signBody, WINDOW_ID_HEADER } from "../signature.js";
import { windowJson } from "../window-json.js";
import type { SendOutcome, Sink } from "./sink.js";

/** Workers allow 6 simultaneous outgoing connections per invocation; more would only queue. */
const CONCURRENCY = 6;

export interface WebhookSinkOptions {
  readonly url: string;
  /** The HMAC secret's value (not its name). */
  readonly secret: string;
  readonly timeoutMs: number;
}

/**
 * POSTs each window as JSON, signed. A 2xx answer is a delivery; anything else (non-2xx,
 * redirect, network error, timeout) is a failure, retried by the caller with backoff.
 */
export function webhookSink(options: WebhookSinkOptions): Sink {
  return {
    async send(stream, windows) {
      const outcomes: SendOutcome[] = new Array(windows.length).fill(null);
      let next = 0;
      const worker = async () => {
        while (next < windows.length) {
          const index = next++;
          outcomes[index] = await post(options, stream, windows[index] as StoredWindow);
        }
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, windows.length) }, worker));
      return outcomes;
    },
  };
}

async function post(options: WebhookSinkOptions, stream: string, w: StoredWindow) {
  const body = windowJson(stream, w);
  try {
    const response = await fetch(options.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        [SIGNATURE_HEADER]: await signBody(options.secret, body),
        [WINDOW_ID_HEADER]: w.id,
        "x-dtw-stream": stream,
        "x-dtw-attempt": String(w.attempt),
      },
      body,
      // A redirect could send the signed window elsewhere: treat it as a failure instead.
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    // Release the connection; the answer's body carries nothing we use.
    await response.body?.cancel();
    return response.status >= 200 && response.status < 300
      ? null
      : new Error(`webhook answered HTTP ${response.status}`);
  } catch (error) {
    return new Error(`webhook request failed: ${messageOf(error)}`);
  }
}
