import { defaultClientConditions, defineConfig } from 'vite';

// `@ag/source` points the workspace packages at their `src/index.ts`, so dev and build
// use the packages' TypeScript directly and need no prior `tsup` build. The worker is an ES
// module so that @ag/io (and protobufjs) is a chunk of its own, loaded on the first download.
export default defineConfig({
  base: './',
  resolve: { conditions: ['@ag/source', ...defaultClientConditions] },
  build: { outDir: 'dist', target: 'es2022' },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
