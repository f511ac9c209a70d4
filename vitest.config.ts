import { defineConfig } from "vitest/config";

// Four projects: fast pure tests, tests of the built site (one real `astro build` per run), the
// form service (real SMTP server on loopback, temporary spools, child processes for crash tests),
// and the shipped deployment (Debian's nginx and the systemd unit in front of the service).
export default defineConfig({
  test: {
    // Two files at a time (vitest's default on two cores is one): the site project's browser files,
    // one after another, beside the unit, server and deploy files, which mostly wait on disks and
    // sockets. Measured on this machine: the whole run 577 s against 660.
    maxWorkers: 2,
    minWorkers: 1,
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
          include: ["tests/site/**/*.test.ts", "tests/browser/**/*.test.ts", "tests/quality/**/*.test.ts"],
          globalSetup: ["tests/setup/build-site.ts"],
          testTimeout: 60_000,
          hookTimeout: 240_000,
          // One file at a time: the files share dist/ and each drives its own browser.
          poolOptions: { forks: { singleFork: true } },
          // A page's first search loads Pagefind's index: on a busy machine that takes more than
          // expect.poll's default second. A wait, not a timing assertion: a result that never comes still fails.
          expect: { poll: { timeout: 10_000 } },
          // Tests marked concurrent (the axe pages) run two at a time, each in a reused tab: on two
          // cores two measured faster than one and no slower than three.
          maxConcurrency: 2,
        },
      },
      {
        test: {
          name: "server",
          include: ["tests/server/**/*.test.ts"],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: "deploy",
          include: ["tests/deploy/**/*.test.ts"],
          // After the site project's in this list, so a full run reuses its fresh fixture build.
          globalSetup: ["tests/deploy/fixture-site.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
