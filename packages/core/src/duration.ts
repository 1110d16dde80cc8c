import { ConfigError } from "./errors.js";

/**
 * A duration: milliseconds as a number, or a human string such as `"250ms"`, `"10 s"`, `"1.5 m"`,
 * `"2 h"`, `"1 d"`.
 */
export type Duration = number | `${number}${DurationUnit}` | `${number} ${DurationUnit}`;
export type DurationUnit = "ms" | "s" | "m" | "h" | "d";

const UNIT_MS: Record<DurationUnit, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/** Parses a {@link Duration} into whole milliseconds; throws a {@link ConfigError} naming `option`. */
export function toMs(value: unknown, option: string, { allowZero = false } = {}): number {
  let ms: number | undefined;
  if (typeof value === "number") ms = value;
  else if (typeof value === "string") {
    const match = PATTERN.exec(value);
    if (match) ms = Number(match[1]) * UNIT_MS[match[2] as DurationUnit];
  }
  const ok = ms !== undefined && Number.isFinite(ms) && (allowZero ? ms >= 0 : ms > 0);
  if (!ok) {
    const range = allowZero ? ">= 0" : "> 0";
    throw new ConfigError(
      option,
      value,
      `a duration ${range}: milliseconds or a string like "10 s"`,
    );
  }
  return Math.ceil(ms as number);
}
