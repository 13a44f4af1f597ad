import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

// The CLI tests run the program in child processes, a few seconds each on a loaded machine.
export default defineProject({
  ...sourceConditions,
  test: { name: '@ag/demo', testTimeout: 60_000 },
});
