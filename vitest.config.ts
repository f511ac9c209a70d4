import { defineConfig } from "vitest/config";

// Two projects: fast pure tests, and tests of the built site (one real `astro build` per run).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts", "tests/content/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "site",
          include: ["tests/site/**/*.test.ts", "tests/browser/**/*.test.ts"],
          globalSetup: ["tests/setup/build-site.ts"],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
