import { createClient } from "redis";

const newClient = (url: string) => createClient({ url });

/** The bench's own connection: reads INFO and removes the keys a case wrote. */
export class Admin {
  readonly #client;

  private constructor(client: ReturnType<typeof newClient>) {
    this.#client = client;
  }

  static async connect(url: string): Promise<Admin> {
    const client = newClient(url);
    client.on("error", () => {}); // failures surface as rejected commands
    await client.connect();
    return new Admin(client);
  }

  info(section: string): Promise<string> {
    return this.#client.info(section);
  }

  /** SCAN + UNLINK under `prefix` (never KEYS, never FLUSHDB: the Redis may be shared). */
  async deleteByPrefix(prefix: string): Promise<void> {
    for await (const keys of this.#client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 }))
      if (keys.length > 0) await this.#client.unlink(keys);
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
