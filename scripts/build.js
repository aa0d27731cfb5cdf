// Builds dist/ from src/: the CLI as one ES module with a chunk per lazily loaded command, dependencies included.
// Every command starts by loading the CLI, and an operator waits on that start before each backup, status or
// check. Loaded file by file it costs over 100 ms more (module resolution and the reading of some 300 files,
// most of them zod's locales and yaml's and mysql2's internals); bundled, only what a command reaches is parsed.
// Type checking is tsc's job (`npm run typecheck`, and the test runner before every run), not this script's.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // At the same depth as src/cli, so the paths that src/ resolves from import.meta.url (the compose files, the
  // lab's images) land on the same folders.
  outdir: 'dist/cli',
  // ssh2 loads an optional native addon by a path relative to its own files.
  external: ['ssh2'],
  // The bundled CommonJS dependencies call require(); an ES module has none of its own.
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module'; const require = createRequireForBundle(import.meta.url);" },
  logLevel: 'warning',
});
