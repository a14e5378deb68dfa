#!/usr/bin/env node
// The entry stays thin: all the work is in the compiled CLI, bundled (see rolldown.config.mjs).
import { main } from '../lib/bundle/cli.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
