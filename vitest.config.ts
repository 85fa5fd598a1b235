import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The library's tests, and each workspace package's own (packages/*/vitest.config.ts).
    projects: [
      {
        test: {
          name: "zmtp",
          include: ["test/**/*.test.ts"],
          testTimeout: 20_000,
          hookTimeout: 20_000,
          pool: "forks",
        },
      },
      "packages/*",
    ],
  },
});
