/** The element every case pushes: a small order event, ~90 bytes of JSON. */
export interface BenchEvent {
  readonly id: number;
  readonly user: string;
  readonly sku: string;
  readonly amount: number;
  readonly at: string;
}

const AT = "2026-01-01T00:00:00.000Z";

export function event(index: number): BenchEvent {
  return {
    id: index,
    user: `user-${index % 997}`,
    sku: `sku-${(index * 7919) % 10_007}`,
    amount: (index % 10_000) / 100,
    at: AT,
  };
}

/** What raw RPUSH baselines send: the same bytes the SDK's JSON serializer produces. */
export function eventJson(index: number): string {
  return JSON.stringify(event(index));
}
