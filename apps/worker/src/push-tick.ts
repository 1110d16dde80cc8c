/**
 * Cron triggers fire at most once a minute, so a window closed by time (a quiet key's, or one
 * waiting out a retry) could wait up to a minute. While pushes arrive, the push path also ticks
 * the stream after answering, at most once per {@link PUSH_TICK_INTERVAL_MS} per isolate, so
 * under traffic windows close and deliver within about a second of their deadline.
 */
export const PUSH_TICK_INTERVAL_MS = 1000;

const lastTick = new Map<string, number>();

/** `true` (and the slot is taken) when this isolate has not ticked `stream` for an interval. */
export function takePushTick(stream: string, now: number = Date.now()): boolean {
  const last = lastTick.get(stream);
  if (last !== undefined && now - last < PUSH_TICK_INTERVAL_MS) return false;
  lastTick.set(stream, now);
  return true;
}
