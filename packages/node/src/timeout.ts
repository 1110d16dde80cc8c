/** Default for `commandTimeoutMs`: node-redis 6's own command timeout. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5000;

/**
 * Redis did not answer a command in time. The command may have been sent, so it may still run:
 * the outcome is unknown (unlike a command refused while disconnected, which never ran).
 */
export class RedisReplyTimeoutError extends Error {
  override name = "RedisReplyTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`Redis did not reply within ${timeoutMs} ms (the command may still run)`);
  }
}

/**
 * Bounds the wait for a reply. node-redis's own `timeout` only covers the time before a command
 * is written to the socket; once written it waits for the reply forever (a hung server, a
 * black-holed connection), so calls would hang without this.
 */
export async function withReplyTimeout<T>(reply: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new RedisReplyTimeoutError(timeoutMs)), timeoutMs);
    timer.unref?.();
  });
  // A reply (or error) arriving after the timeout is dropped, never an unhandled rejection.
  reply.catch(() => {});
  try {
    return await Promise.race([reply, expired]);
  } finally {
    clearTimeout(timer);
  }
}
