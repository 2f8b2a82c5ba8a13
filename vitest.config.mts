import {defineConfig} from 'vitest/config';

export default defineConfig({
  test: {
    include: [`test/**/*.test.ts`],
    // End-to-end tests spawn real Yarn installs; each can take several seconds on a 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 180_000,
    pool: `forks`,
    setupFiles: [`test/setup.ts`],
  },
});
