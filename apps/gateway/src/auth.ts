import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Builds a checker for `Authorization: Bearer <token>`.
 *
 * Both sides are hashed before `timingSafeEqual` so the comparison takes the same time whatever
 * the length of the presented token (timingSafeEqual itself throws on unequal lengths, which
 * would leak the expected length).
 */
export function createTokenCheck(token: string): (header: string | undefined) => boolean {
  if (token.length === 0) {
    throw new TypeError("startGateway: token must be a non-empty string");
  }
  const expected = digest(token);
  return (header) => {
    const presented = parseBearer(header);
    if (presented === undefined) return false;
    return timingSafeEqual(digest(presented), expected);
  };
}

function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function digest(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
