// `npm run screenshots`: builds the sample site and takes screenshots of the home page and a post
// at desktop and phone width with headless Chromium, into docs/screenshots/ (shown in README.md).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const REPO = fileURLToPath(new URL('../', import.meta.url));
const OUT_DIR = fileURLToPath(new URL('./screenshots/', import.meta.url));
const TYPES = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.json': 'application/json', '.png': 'image/png', '.jpg': 'image/jpeg' };

const site = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-screens-')), 'site');
const built = spawnSync(process.execPath, [path.join(REPO, 'bin/gi-build.js'), '--out', site, '--quiet'], { cwd: REPO, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);

const server = http.createServer(async (req, res) => {
  let p = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  if (p.endsWith('/')) p += 'index.html';
  try {
    const body = await fs.readFile(path.join(site, p));
    res.writeHead(200, { 'content-type': TYPES[path.extname(p)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

const shots = [
  ['home-desktop.png', '/', 1280, 900],
  ['post-desktop.png', '/posts/kitchen-table-care-plans/', 1280, 900],
  ['home-phone.png', '/', 375, 812],
  ['post-phone.png', '/posts/kitchen-table-care-plans/', 375, 812],
];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  await fs.mkdir(OUT_DIR, { recursive: true });
  for (const [name, url, width, height] of shots) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(base + url, { waitUntil: 'networkidle' });
    await page.screenshot({ path: path.join(OUT_DIR, name) });
    await page.close();
    console.log(`docs/screenshots/${name}`);
  }
} finally {
  await browser.close();
  server.close();
  await fs.rm(path.dirname(site), { recursive: true, force: true });
}
