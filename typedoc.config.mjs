// The API reference (`pnpm docs`, into docs/api): one TypeDoc module per published package
// (scripts/published-packages.mjs: every non-private folder under packages/), read from its
// public entry point `src/index.ts`. Run in `pnpm verify` with warnings as errors, so an
// export without a doc comment, a class or function without an `@example`
// (scripts/typedoc-require-example.mjs), a constructor without its own doc comment (what
// an editor shows on `new X(`), a link that does not resolve or a type that an export uses
// but the package does not export fails the build, naming the file and line.
import { relative } from 'node:path';
import { publishedPackages, root } from './scripts/published-packages.mjs';

const packages = publishedPackages();

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: '@ag',
  entryPointStrategy: 'packages',
  entryPoints: packages.map(({ dir }) => relative(root, dir)),
  // TypeDoc converts each package with its defaults plus these, not the options above.
  packageOptions: {
    entryPoints: ['src/index.ts'],
    tsconfig: 'tsconfig.json',
    excludePrivate: true,
    disableSources: true,
    excludeInternal: true,
    validation: {
      notExported: true,
      // scripts/typedoc-require-example.mjs checks `requiredToBeDocumented` instead, naming
      // the file and line (TypeDoc's own check names only the file).
      notDocumented: false,
      invalidPath: true,
      rewrittenLink: true,
    },
    requiredToBeDocumented: [
      'Enum',
      'EnumMember',
      'Variable',
      'Function',
      'Class',
      'Constructor',
      'Interface',
      'Property',
      'Method',
      'Accessor',
      'TypeAlias',
    ],
  },
  out: 'docs/api',
  // No public repository to link source lines to yet; a clone's remote is a local path,
  // which TypeDoc warns about (and warnings fail the build).
  disableSources: true,
  readme: 'none',
  // TypeDoc's defaults plus Python, which the @ag/io README shows (loading the file in PyTorch).
  highlightLanguages: [
    'bash',
    'console',
    'css',
    'html',
    'javascript',
    'json',
    'jsonc',
    'json5',
    'yaml',
    'tsx',
    'typescript',
    'python',
  ],
  plugin: ['./scripts/typedoc-require-example.mjs'],
  treatWarningsAsErrors: true,
  // Links between packages resolve only in the merged project, so they are checked here.
  validation: { invalidLink: true, invalidPath: true, rewrittenLink: true },
};
