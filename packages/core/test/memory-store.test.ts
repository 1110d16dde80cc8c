import { MemoryStore } from "../src/memory/memory-store.js";
import { describeStoreConformance } from "./conformance/store-suite.js";

describeStoreConformance("MemoryStore", async (clock) => ({ store: new MemoryStore({ clock }) }));
