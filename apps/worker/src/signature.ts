/**
 * Webhook signatures: `x-dtw-signature: sha256=<hex HMAC-SHA256 of the raw body>`, keyed with the
 * secret the stream's sink names. Web Crypto only, so receivers can use the same code on
 * Node >= 20, Deno, Bun, browsers and Workers.
 */

/** The header carrying the signature. */
export const SIGNATURE_HEADER = "x-dtw-signature";
/** The header carrying the window id (stable across redeliveries: deduplicate on it). */
export const WINDOW_ID_HEADER = "x-dtw-window-id";

const PREFIX = "sha256=";
const encoder = new TextEncoder();
type Key = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
const keys = new Map<string, Promise<Key>>();

type Body = string | ArrayBuffer | ArrayBufferView;

function hmacKey(secret: string): Promise<Key> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey(
      "raw",
      encoder.encode(secret),
      { name: "HMAC", hash: "SHA-256" },
      false,
      ["sign", "verify"],
    );
    // A handful of secrets per deployment: the cache stays tiny.
    keys.set(secret, key);
  }
  return key;
}

function bytes(body: Body): ArrayBuffer | ArrayBufferView {
  return typeof body === "string" ? encoder.encode(body) : body;
}

/** The `x-dtw-signature` header value for `body`: `sha256=<64 hex digits>`. */
export async function signBody(secret: string, body: Body): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await hmacKey(secret), bytes(body)));
  let hex = "";
  for (const byte of mac) hex += byte.toString(16).padStart(2, "0");
  return PREFIX + hex;
}

/**
 * Checks a webhook delivery: `true` when `header` is the HMAC-SHA256 of the exact raw `body`
 * under `secret`. The comparison runs in constant time (`crypto.subtle.verify`). Pass the body
 * bytes as received, before any JSON parsing.
 *
 * @example
 * // Node, in a request handler:
 * const raw = await readBody(req); // string or Buffer, untouched
 * if (!(await verifySignature(process.env.WEBHOOK_SECRET, raw, req.headers["x-dtw-signature"]))) {
 *   res.writeHead(401).end();
 *   return;
 * }
 * const window = JSON.parse(raw); // deduplicate on window.id
 */
export async function verifySignature(
  secret: string,
  body: Body,
  header: string | null | undefined,
): Promise<boolean> {
  if (typeof header !== "string" || !header.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length);
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) return false;
  const mac = new Uint8Array(32);
  for (let i = 0; i < 32; i++) mac[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return crypto.subtle.verify("HMAC", await hmacKey(secret), mac, bytes(body));
}
