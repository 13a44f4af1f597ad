import { defaultClientConditions, defineConfig } from 'vite';

// `@ag/source` points the workspace packages at their `src/index.ts`, so dev and build
// use the packages' TypeScript directly and need no prior `tsup` build.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@ag/source', ...defaultClientConditions] },
  build: { outDir: 'dist', target: 'es2022' },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
