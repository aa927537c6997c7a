import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/js/**/*.test.js', 'tests/e2e/**/*.test.js'],
    // The real-data tests parse the 300 MB float32 source once (~7 s) and
    // run the whole questions-words evaluation; give them room.
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One file at a time: the float32 oracle needs ~1 GB and the machine
    // has 2 cores.
    fileParallelism: false,
  },
});
