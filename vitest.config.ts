import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    // Integration tests start the local stack (DynamoDB Local on Java, S3, Step Functions) per file.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own process: the local stack sets process.env for the handlers it runs.
    pool: 'forks',
    fileParallelism: true,
  },
});
