/** The stores a Worker test runs against: the MemoryStore fallback, and Upstash (gateway + Redis). */
export interface Backend {
  name: string;
  /** Env entries selecting the store. */
  setup(): Promise<Record<string, string>>;
  cleanup(): Promise<void>;
}

export function backends(): Backend[] {
  return [{ name: "memory", setup: async () => ({}), cleanup: async () => {} }];
}
