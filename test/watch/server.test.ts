import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { injectClient, isAllowedHost, parseRange, startServer, type PreviewServer } from '../../src/watch/server.js';
import { makeSite, post, snapshot, spawnCli, writeFiles } from '../helpers/site.js';

const hasMkfifo = !spawnSync('mkfifo', ['--version']).error;

interface RawRequest {
  host?: string;
  method?: string;
  headers?: http.OutgoingHttpHeaders;
}

/** A raw request (GET unless told), so the Host header and odd paths reach the server as written. */
function get(port: number, rawPath: string, { host = `127.0.0.1:${port}`, method = 'GET', headers = {} }: RawRequest = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: rawPath, method, headers: { ...headers, host } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Collects server-sent events from the preview's event stream. */
function listen(url: string): { events: { event: string; data: string }[]; close: () => void; ready: Promise<void> } {
  const events: { event: string; data: string }[] = [];
  let req: http.ClientRequest;
  const ready = new Promise<void>((resolve) => {
    req = http.get(url, (res) => {
      let buffer = '';
      res.on('data', (chunk) => {
        buffer += chunk;
        resolve();
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data !== undefined) events.push({ event, data });
        }
      });
    });
  });
  return { events, close: () => req.destroy(), ready };
}

describe('isAllowedHost', () => {
  it.each([
    ['127.0.0.1:8080', '127.0.0.1', true],
    ['localhost:8080', '127.0.0.1', true],
    ['LOCALHOST', '127.0.0.1', true],
    ['[::1]:8080', '127.0.0.1', true],
    ['blog.localhost:8080', '127.0.0.1', true],
    ['evil.example', '127.0.0.1', false],
    ['evil.example:8080', '127.0.0.1', false],
    ['localhost.evil.example', '127.0.0.1', false],
    [undefined, '127.0.0.1', false],
    ['192.168.1.20:8080', '0.0.0.0', true],
    ['evil.example', '0.0.0.0', false],
    ['192.168.1.20:8080', '192.168.1.20', true],
    ['10.0.0.1:8080', '192.168.1.20', false],
  ])('Host %j when listening on %s: %s', (hostHeader, listen, expected) => {
    expect(isAllowedHost(hostHeader, listen)).toBe(expected);
  });

  it('injects the client before </body>', () => {
    expect(injectClient('<body><p>x</p></body></html>', '/c.js')).toBe('<body><p>x</p><script src="/c.js"></script></body></html>');
    expect(injectClient('<p>no body</p>', '/c.js')).toBe('<p>no body</p><script src="/c.js"></script>');
  });
});

describe('parseRange', () => {
  it.each([
    ['bytes=2-5', 10, { start: 2, end: 5 }],
    ['bytes=7-', 10, { start: 7, end: 9 }],
    ['bytes=-3', 10, { start: 7, end: 9 }],
    ['bytes=-30', 10, { start: 0, end: 9 }],
    ['bytes=8-100', 10, { start: 8, end: 9 }],
    ['BYTES=0-0', 10, { start: 0, end: 0 }],
    ['bytes=10-', 10, 'unsatisfiable'],
    ['bytes=10-12', 10, 'unsatisfiable'],
    ['bytes=-0', 10, 'unsatisfiable'],
    ['bytes=0-', 0, 'unsatisfiable'],
    ['bytes=-1', 0, 'unsatisfiable'],
    [undefined, 10, null],
    ['bytes=0-1,4-5', 10, null],
    ['bytes=5-2', 10, null],
    ['bytes=-', 10, null],
    ['bytes=a-b', 10, null],
    ['items=0-1', 10, null],
  ])('%j of %i bytes: %j', (header, size, expected) => {
    expect(parseRange(header, size)).toEqual(expected);
  });
});

describe('the preview server', () => {
  let dir: string;
  let outside: string;
  let server: PreviewServer;
  beforeAll(async () => {
    dir = await makeSite({
      'index.html': '<!doctype html><html><body><h1>Home</h1></body></html>',
      'posts/a/index.html': '<!doctype html><html><body><h1>Post A</h1></body></html>',
      'assets/style.css': 'body{}',
      'assets/digits.txt': '0123456789',
      'assets/logo.svg': '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      '404.html': '<!doctype html><html><body><h1>Custom not found</h1></body></html>',
    });
    await fs.writeFile(path.join(path.dirname(dir), 'secret.txt'), 'secret');
    outside = await fs.mkdtemp(path.join(os.tmpdir(), 'gi-build-outside-'));
    await writeFiles(outside, { 'secret.txt': 'secret', 'index.html': '<h1>secret page</h1>' });
    await fs.symlink(path.join(outside, 'secret.txt'), path.join(dir, 'leak.txt'));
    await fs.symlink(outside, path.join(dir, 'leak'));
    await fs.symlink('style.css', path.join(dir, 'assets/latest.css'));
    await fs.symlink('posts/a', path.join(dir, 'newest'));
    server = await startServer({ outDir: dir, basePath: '/blog/', host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  it('listens on the loopback address only', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/blog/`);
  });

  it('serves the site under the base path, with the live-reload client and no caching', async () => {
    const r = await get(server.port, '/blog/posts/a/');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<h1>Post A</h1><script src="/blog/__gi-build/client.js"></script></body>');
    expect(r.headers['cache-control']).toBe('no-store');
    const css = await get(server.port, '/blog/assets/style.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toBe('body{}');
    expect((await get(server.port, '/blog/__gi-build/client.js')).body).toContain('EventSource');
  });

  it('redirects the root to the base path and a folder without its slash', async () => {
    expect(await get(server.port, '/')).toMatchObject({ status: 302, headers: { location: '/blog/' } });
    expect(await get(server.port, '/blog/posts/a')).toMatchObject({ status: 301, headers: { location: '/blog/posts/a/' } });
  });

  it('answers unknown paths with 404.html and status 404', async () => {
    for (const p of ['/blog/nope/', '/elsewhere/page/', '/blog/posts/missing.png']) {
      const r = await get(server.port, p);
      expect(r.status, p).toBe(404);
      expect(r.body).toContain('Custom not found');
    }
  });

  it('refuses path traversal', async () => {
    for (const p of ['/blog/..%2F..%2Fsecret.txt', '/blog/%2e%2e%2fsecret.txt', '/blog/posts/..%2F..%2F..%2Fsecret.txt']) {
      const r = await get(server.port, p);
      expect([403, 404], p).toContain(r.status);
      expect(r.body).not.toContain('secret');
    }
    expect((await get(server.port, '/blog/%00')).status).toBe(400);
  });

  it('never redirects to another host', async () => {
    const root = await startServer({ outDir: dir, basePath: '/', host: '127.0.0.1', port: 0 });
    try {
      const r = await get(root.port, '/%2Fposts');
      expect(r.status).toBe(301);
      expect(r.headers.location).toBe('/posts/');
    } finally {
      await root.close();
    }
  });

  it('refuses a request whose Host is not a loopback name (DNS rebinding)', async () => {
    const r = await get(server.port, '/blog/', { host: 'evil.example' });
    expect(r.status).toBe(403);
    expect(r.body).not.toContain('Home');
    expect((await get(server.port, '/blog/', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses a symlink that leads out of the output folder, to a file or to a folder', async () => {
    for (const p of ['/blog/leak.txt', '/blog/leak', '/blog/leak/', '/blog/leak/secret.txt']) {
      const r = await get(server.port, p);
      expect(r.status, p).toBe(403);
      expect(r.body, p).not.toContain('secret');
    }
  });

  it('serves a symlink whose target stays inside the output folder', async () => {
    expect(await get(server.port, '/blog/assets/latest.css')).toMatchObject({ status: 200, body: 'body{}' });
    expect((await get(server.port, '/blog/newest/')).body).toContain('<h1>Post A</h1>');
  });

  it.runIf(hasMkfifo)('answers a FIFO with 404 at once, without waiting for a writer, even one named 404.html', async () => {
    execFileSync('mkfifo', [path.join(dir, 'assets/pipe.txt')]);
    const r = await get(server.port, '/blog/assets/pipe.txt');
    expect(r.status).toBe(404);
    expect(r.body).toContain('Custom not found');

    const piped = await makeSite({ 'index.html': '<h1>Home</h1>' });
    execFileSync('mkfifo', [path.join(piped, '404.html')]);
    const other = await startServer({ outDir: piped, basePath: '/', host: '127.0.0.1', port: 0 });
    try {
      expect(await get(other.port, '/nope/')).toMatchObject({ status: 404, body: expect.stringContaining('<h1>Not found</h1>') });
    } finally {
      await other.close();
    }
  }, 2_000);

  it('answers a single byte range with 206, in each of its three forms', async () => {
    for (const [range, body, contentRange] of [
      ['bytes=2-5', '2345', 'bytes 2-5/10'],
      ['bytes=7-', '789', 'bytes 7-9/10'],
      ['bytes=-3', '789', 'bytes 7-9/10'],
    ] as const) {
      const r = await get(server.port, '/blog/assets/digits.txt', { headers: { range } });
      expect(r, range).toMatchObject({ status: 206, body, headers: { 'content-range': contentRange, 'content-length': String(body.length) } });
    }
  });

  it('answers an unsatisfiable range with 416, and several ranges or an If-Range with the whole file', async () => {
    const r = await get(server.port, '/blog/assets/digits.txt', { headers: { range: 'bytes=10-' } });
    expect(r).toMatchObject({ status: 416, headers: { 'content-range': 'bytes */10' } });
    for (const headers of [{ range: 'bytes=0-1,4-5' }, { range: 'bytes=0-1', 'if-range': '"x"' }, {}]) {
      const whole = await get(server.port, '/blog/assets/digits.txt', { headers });
      expect(whole, JSON.stringify(headers)).toMatchObject({ status: 200, body: '0123456789', headers: { 'accept-ranges': 'bytes', 'content-length': '10' } });
    }
  });

  it('sends pages whole, with the live-reload client, whatever the Range', async () => {
    const r = await get(server.port, '/blog/posts/a/', { headers: { range: 'bytes=0-3' } });
    expect(r.status).toBe(200);
    expect(r.body).toContain('<h1>Post A</h1><script src="/blog/__gi-build/client.js"></script>');
  });

  it('answers HEAD with the headers only', async () => {
    const file = await get(server.port, '/blog/assets/digits.txt', { method: 'HEAD' });
    expect(file).toMatchObject({ status: 200, body: '', headers: { 'content-length': '10', 'accept-ranges': 'bytes' } });
    const page = await get(server.port, '/blog/posts/a/', { method: 'HEAD' });
    expect(page.body).toBe('');
    expect(Number(page.headers['content-length'])).toBe(Buffer.byteLength((await get(server.port, '/blog/posts/a/')).body));
  });

  it('forbids script in an SVG opened on its own, and sends no policy with other files', async () => {
    const svg = await get(server.port, '/blog/assets/logo.svg');
    expect(svg.headers['content-type']).toBe('image/svg+xml');
    expect(svg.headers['content-security-policy']).toContain("script-src 'none'");
    expect(svg.headers['content-security-policy']).toContain("default-src 'none'");
    expect((await get(server.port, '/blog/assets/style.css')).headers['content-security-policy']).toBeUndefined();
  });

  it('sends reload events, and a CSS-only flag when only stylesheets changed', async () => {
    const stream = listen(`http://127.0.0.1:${server.port}/blog/__gi-build/events`);
    await stream.ready;
    server.reload(false);
    server.reload(true);
    server.buildFailed(['posts/a.md:3:1  error  bad  [x]']);
    await expect.poll(() => stream.events.length).toBe(3);
    expect(stream.events).toEqual([
      { event: 'reload', data: '{"css":false}' },
      { event: 'reload', data: '{"css":true}' },
      { event: 'build-error', data: '{"messages":["posts/a.md:3:1  error  bad  [x]"]}' },
    ]);
    stream.close();
  });
});

describe('gi-build --serve', () => {
  it('reloads browsers after a rebuild, shows build errors, and never writes the client into dist/', async () => {
    const root = await makeSite({
      'gi-build.config.json': JSON.stringify({ basePath: '/blog/' }),
      'posts/2024-01-01-one.md': post({ title: 'One', date: '2024-01-01' }, 'Body.'),
    });
    const cli = spawnCli(['--serve', '--port', '0'], { cwd: root });
    try {
      const [, url] = await cli.waitFor(/Preview: (http:\/\/127\.0\.0\.1:\d+\/blog\/)/);
      await cli.waitFor(/Press Ctrl-C/);
      const port = Number(new URL(url!).port);
      const page = await get(port, '/blog/posts/one/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('__gi-build/client.js');

      const stream = listen(`${url}__gi-build/events`);
      await stream.ready;
      await writeFiles(root, { 'posts/2024-01-01-one.md': post({ title: 'One edited', date: '2024-01-01' }, 'Body.') });
      await expect.poll(() => stream.events.map((e) => e.event), { timeout: 10_000 }).toContain('reload');
      expect(stream.events.find((e) => e.event === 'reload')!.data).toBe('{"css":false}');
      expect((await get(port, '/blog/posts/one/')).body).toContain('One edited');

      await cli.quiet();
      stream.events.length = 0;
      await writeFiles(root, { 'templates/assets/style.css': 'body { color: red }' });
      await expect.poll(() => stream.events, { timeout: 10_000 }).toContainEqual({ event: 'reload', data: '{"css":true}' });

      await cli.quiet();
      stream.events.length = 0;
      await writeFiles(root, { 'posts/2024-01-01-one.md': '---\ntitle: [oops\n---\n' });
      await expect.poll(() => stream.events.map((e) => e.event), { timeout: 10_000 }).toContain('build-error');
      expect(stream.events.find((e) => e.event === 'build-error')!.data).toMatch(/posts\/2024-01-01-one\.md:\d+:\d+  error  invalid YAML/);
      stream.close();

      const late = listen(`${url}__gi-build/events`);
      await late.ready;
      await expect.poll(() => late.events.map((e) => e.event)).toContain('build-error');
      late.close();

      const dist = await snapshot(path.join(root, 'dist'));
      for (const [file, contents] of Object.entries(dist)) expect(Buffer.from(contents, 'base64').toString(), file).not.toContain('__gi-build');
    } finally {
      expect(await cli.stop()).toBe(0);
    }
  });

  it('warns when asked to listen beyond this machine', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-01-01' }) });
    const cli = spawnCli(['--serve', '--port', '0', '--host', '0.0.0.0'], { cwd: root });
    try {
      await cli.waitFor(/Preview: http:\/\/127\.0\.0\.1:\d+\//);
      expect(cli.stderr()).toContain('warning: the preview listens on 0.0.0.0: other machines on your network can see it');
    } finally {
      await cli.stop();
    }
  });

  it('exits 2 with a clear message when it cannot listen on the address', async () => {
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-01-01' }) });
    const cli = spawnCli(['--serve', '--port', '0', '--host', '192.0.2.1'], { cwd: root });
    expect(await cli.exited).toBe(2);
    expect(cli.stderr()).toMatch(/cannot listen on 192\.0\.2\.1/);
  });

  it('takes the next port when the asked one is busy', async () => {
    const blocker = http.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const busy = (blocker.address() as { port: number }).port;
    const root = await makeSite({ 'posts/a.md': post({ title: 'A', date: '2024-01-01' }) });
    const cli = spawnCli(['--serve', '--port', String(busy)], { cwd: root });
    try {
      const [, port] = await cli.waitFor(/Preview: http:\/\/127\.0\.0\.1:(\d+)\//);
      expect(Number(port)).toBeGreaterThan(busy);
    } finally {
      await cli.stop();
      blocker.close();
    }
  });
});
