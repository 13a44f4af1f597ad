import { defineProject } from 'vitest/config';
import { sourceConditions } from '../../vitest.shared.js';

// Unit tests only: the browser tests in e2e/ run under `pnpm test:e2e` in a real Chromium.
export default defineProject({
  ...sourceConditions,
  test: { name: '@ag/playground', include: ['src/**/*.test.ts'] },
});
