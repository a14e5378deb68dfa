#!/usr/bin/env node
// The entry stays thin: all the work is in the compiled CLI module.
import { main } from '../lib/cli/index.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
