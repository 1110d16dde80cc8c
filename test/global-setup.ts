import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { bundleFixture } from "./support/bundle.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Path of the bundled `fixtures/node.ts` that every e2e node runs. */
    nodeBundle: string;
  }
}

/** Bundles the node fixture once for every e2e file; removes it when the run ends. */
export default async function setup(project: TestProject): Promise<() => void> {
  const dir = mkdtempSync(join(tmpdir(), "dtw-e2e-"));
  project.provide("nodeBundle", await bundleFixture("node", dir));
  return () => rmSync(dir, { recursive: true, force: true });
}
