// `npm run bench`: runs the benchmarks and writes bench/RESULTS.md with the date, machine and versions.
import fs from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { benchSearch, searchSection } from './search.mjs';

const pkg = JSON.parse(await fs.readFile(new URL('../package.json', import.meta.url), 'utf8'));
const lunrPkg = JSON.parse(await fs.readFile(new URL('../node_modules/lunr/package.json', import.meta.url), 'utf8'));

const searchRows = await benchSearch();

const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}`;
const text = `# Benchmark results

Written by \`npm run bench\` (bench/run.mjs). Re-run it to refresh; numbers from one machine are only comparable with each other.

- Date: ${new Date().toISOString().slice(0, 10)}
- Machine: ${machine}
- Node ${process.version}; gi-build ${pkg.version}; lunr ${lunrPkg.version}

${searchSection(searchRows)}
`;
await fs.writeFile(fileURLToPath(new URL('./RESULTS.md', import.meta.url)), text);
console.log('wrote bench/RESULTS.md');
