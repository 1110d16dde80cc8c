import { MemorySortedSet, memoryAccumulatorResolver } from "../src/seed/memory-primitives.js";
import { PrimitiveStore } from "../src/seed/primitive-store.js";
import { describeStoreConformance } from "./conformance/store-suite.js";

describeStoreConformance(
  "PrimitiveStore on MemoryAccumulator + MemorySortedSet",
  async (clock) => ({
    store: new PrimitiveStore(new MemorySortedSet<string>(), memoryAccumulatorResolver(), {
      clock,
    }),
  }),
  {
    strategies: ["tumbling"],
    closesStaleOnAppend: false,
    exactOpenStats: false,
    singleStream: true,
  },
);
