// Runs in real Chromium (vitest browser mode): core must work with no Node built-ins at all.
import { expect, it } from "vitest";
import { MemoryStore } from "../src/memory/memory-store.js";
import { describeStoreConformance } from "./conformance/store-suite.js";
import { EXPECTED, runEngineScenario } from "./runtime/engine-scenario.js";

it("runs in a browser, not in Node", () => {
  expect(typeof (globalThis as { document?: unknown }).document).toBe("object");
  expect((globalThis as { process?: unknown }).process).toBeUndefined();
});

it("DistributedTimeWindow on MemoryStore delivers count and time windows, then flushes", async () => {
  expect(await runEngineScenario()).toEqual(EXPECTED);
});

describeStoreConformance("MemoryStore in Chromium", async (clock) => ({
  store: new MemoryStore({ clock }),
}));
