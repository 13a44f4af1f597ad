import { defaultClientConditions, defaultServerConditions } from 'vite';

/**
 * Resolve workspace packages to their `src/` through the `@ag/source` export
 * condition, so tests run without a build. Vitest resolves through both the
 * client and the SSR resolver, so the condition goes in both.
 */
export const sourceConditions = {
  resolve: { conditions: ['@ag/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@ag/source', ...defaultServerConditions] } },
};
