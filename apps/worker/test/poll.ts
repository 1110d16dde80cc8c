/**
 * Polls `probe` every `intervalMs` until it returns a value other than `undefined`; rejects after
 * `timeoutMs`. Only for waiting on a real process's clock (lease expiry in workerd + Redis), where
 * there is no event to await.
 */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 50, what = "condition" } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
