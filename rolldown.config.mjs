import { defineConfig } from 'rolldown';

// The compiled CLI and its worker threads, each with the ES modules it imports bundled in: Node
// then reads some twenty files instead of 338 modules, which took a quarter of a second at start-up.
// Modules loaded lazily (the Markdown pipeline) stay in chunks of their own. CommonJS packages stay
// as they are, required from node_modules. lib/bundle/ sits as deep as lib/build/, so paths the code
// makes from its own URL (../../templates/, ../../package.json) hold in both. Nothing is minified:
// the search's query and pipeline functions go to the browser as their own source text.
export default defineConfig({
  input: {
    cli: 'lib/cli/index.js',
    'parse-worker': 'lib/build/parse-worker.js',
    // Named as in lib/search/, so that a worker is found beside the module that starts it either way.
    worker: 'lib/search/worker.js',
  },
  platform: 'node',
  external: [/^node:/, 'chokidar', 'commander', 'fs-extra', 'handlebars', /^lunr/, 'image-size'],
  output: { dir: 'lib/bundle', cleanDir: true, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js', sourcemap: true },
});
