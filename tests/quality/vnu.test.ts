/**
 * Valid HTML: every built page passes the Nu Html Checker with no errors (`npm test` installs a
 * headless Java runtime when it is missing). One Java process checks every page: starting the JVM
 * is most of the cost. The pages the server fills in are checked in journeys.test.ts.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIST, htmlPages } from "../site/dist";
import { vnuErrors } from "./vnu";

describe("Nu Html Checker", () => {
  it("finds no errors on any built page", () => {
    const files = htmlPages().map((file) => path.join(DIST, file));
    expect(files.length).toBeGreaterThan(40);
    expect(vnuErrors(files, DIST)).toEqual([]);
  });
});
