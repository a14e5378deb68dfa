import { constants as fsConstants } from 'node:fs';
import fs, { type FileHandle } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { isInside } from '../util/paths.js';
import { CLIENT_PREFIX, CLIENT_SCRIPT } from './client.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

// An SVG opened on its own is a document that may run script; the preview serves it as a passive image.
const SVG_POLICY = "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:";

// O_NONBLOCK: opening a FIFO would otherwise wait for a writer and hang the request (Windows has no FIFOs).
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NONBLOCK ?? 0);

/** Options of the preview server. */
export interface ServerOptions {
  outDir: string;
  basePath: string;
  host: string;
  /** The first port to try; if it is taken, the next ones are tried. */
  port: number;
}

/** A running preview server. */
export interface PreviewServer {
  url: string;
  port: number;
  /** Tells every open page to reload (only its stylesheets, when `css` is true). */
  reload(css: boolean): void;
  /** Shows the build's errors over every open page until the next successful build. */
  buildFailed(messages: string[]): void;
  close(): Promise<void>;
}

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether a request's Host header names this server by a name it may be reached by (no DNS rebinding). */
export function isAllowedHost(hostHeader: string | undefined, listenHost: string): boolean {
  if (!hostHeader) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (LOOPBACK_NAMES.has(hostname) || hostname.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(hostname)) return true;
  // Listening elsewhere on purpose: the address it listens on, or any IP literal when on all interfaces.
  const ipLiteral = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-f:.]+\])$/.test(hostname);
  if (listenHost === '0.0.0.0' || listenHost === '::') return ipLiteral;
  return hostname === listenHost.toLowerCase() || hostname === `[${listenHost.toLowerCase()}]`;
}

/** Adds the live-reload client before `</body>` (or at the end). */
export function injectClient(html: string, clientUrl: string): string {
  const tag = `<script src="${clientUrl}"></script>`;
  const at = html.lastIndexOf('</body>');
  return at < 0 ? html + tag : html.slice(0, at) + tag + html.slice(at);
}

/** A byte range of a file, both ends included. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * The one range a `Range` header asks of a file of `size` bytes, 'unsatisfiable' (answer 416), or null
 * to send the whole file: no header, another unit, several ranges or bad syntax (RFC 9110 allows this).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  const match = header === undefined ? null : /^bytes=\s*(\d*)-(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '') {
    if (last === '') return null;
    const suffix = Number(last);
    return suffix === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: last === '' ? size - 1 : Math.min(Number(last), size - 1) };
}

/** A regular file opened for sending; whoever receives it closes the handle. */
interface OpenFile {
  handle: FileHandle;
  size: number;
  /** The path as asked for, which decides the content type. */
  file: string;
}

/**
 * Opens `file` if its real path (symlinks resolved) lies inside the output folder's real path:
 * 'outside' when it does not, 'folder' for a folder, null when no regular file is there (FIFOs, sockets).
 */
async function openInside(outDir: string, file: string): Promise<OpenFile | 'folder' | 'outside' | null> {
  const [root, real] = await Promise.all([fs.realpath(outDir).catch(() => null), fs.realpath(file).catch(() => null)]);
  if (root === null || real === null) return null;
  if (!isInside(root, real)) return 'outside';
  const stat = await fs.stat(real).catch(() => null);
  if (stat?.isDirectory()) return 'folder';
  if (!stat?.isFile()) return null;
  const handle = await fs.open(real, OPEN_FLAGS).catch(() => null);
  // Checked again on the open handle, in case the file was swapped since the stat.
  const opened = await handle?.stat().catch(() => null);
  if (!handle || !opened?.isFile()) {
    await handle?.close();
    return null;
  }
  return { handle, size: opened.size, file };
}

/** Starts the preview server: the output folder under the base path, with live reload. */
export async function startServer(options: ServerOptions): Promise<PreviewServer> {
  const { outDir, basePath, host } = options;
  const clients = new Set<http.ServerResponse>();
  let lastError: string | null = null;
  const clientUrl = `${basePath}${CLIENT_PREFIX}client.js`;

  const send = (res: http.ServerResponse, status: number, body: string | Uint8Array, type: string, extra: http.OutgoingHttpHeaders = {}) => {
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', ...extra });
    res.end(body);
  };
  const notFound = async (res: http.ServerResponse) => {
    let page = '<!doctype html><title>Not found</title><h1>Not found</h1>';
    const found = await openInside(outDir, path.join(outDir, '404.html'));
    if (found !== null && typeof found === 'object') {
      try {
        page = await found.handle.readFile('utf8');
      } finally {
        await found.handle.close();
      }
    }
    send(res, 404, injectClient(page, clientUrl), TYPES['.html']!);
  };
  /** Sends a file whole, or the one range a GET asks for; HEAD gets the headers only. Closes the file. */
  const sendFile = async (req: http.IncomingMessage, res: http.ServerResponse, { handle, size, file }: OpenFile) => {
    try {
      const type = TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
      // Pages carry the injected client, so byte offsets into the file would not match the body: always whole.
      if (type === TYPES['.html']) return send(res, 200, injectClient(await handle.readFile('utf8'), clientUrl), type, { 'accept-ranges': 'none' });
      // Ranges are defined for GET only; and as no validators are sent, an If-Range can never match.
      const range = req.method === 'GET' && req.headers['if-range'] === undefined ? parseRange(req.headers.range, size) : null;
      if (range === 'unsatisfiable') return send(res, 416, 'Range not satisfiable\n', TYPES['.txt']!, { 'content-range': `bytes */${size}` });
      const { start, end } = range ?? { start: 0, end: size - 1 };
      res.writeHead(range ? 206 : 200, {
        'content-type': type,
        'content-length': end - start + 1,
        ...(range && { 'content-range': `bytes ${start}-${end}/${size}` }),
        'accept-ranges': 'bytes',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        ...(type === TYPES['.svg'] && { 'content-security-policy': SVG_POLICY }),
      });
      if (req.method === 'HEAD' || size === 0) return res.end();
      await pipeline(handle.createReadStream({ start, end, autoClose: false }), res);
    } finally {
      await handle.close();
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!isAllowedHost(req.headers.host, host)) return send(res, 403, 'Forbidden: this preview only answers to localhost.\n', TYPES['.txt']!);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'Method not allowed\n', TYPES['.txt']!, { allow: 'GET, HEAD' });
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    } catch {
      return send(res, 400, 'Bad request\n', TYPES['.txt']!);
    }
    if (pathname.includes('\0')) return send(res, 400, 'Bad request\n', TYPES['.txt']!);

    if (pathname === `${basePath}${CLIENT_PREFIX}client.js`) return send(res, 200, CLIENT_SCRIPT, TYPES['.js']!);
    if (pathname === `${basePath}${CLIENT_PREFIX}events`) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      if (lastError) res.write(`event: build-error\ndata: ${lastError}\n\n`);
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (!pathname.startsWith(basePath)) {
      if (pathname === '/' || pathname === basePath.slice(0, -1)) return send(res, 302, '', TYPES['.txt']!, { location: basePath });
      return notFound(res);
    }
    const file = path.join(outDir, pathname.slice(basePath.length));
    if (!isInside(outDir, file)) return send(res, 403, 'Forbidden\n', TYPES['.txt']!);
    let found = await openInside(outDir, file);
    if (found === 'folder') {
      // One leading slash only: "//host/" would send the browser to another site.
      if (!pathname.endsWith('/')) return send(res, 301, '', TYPES['.txt']!, { location: `${encodeURI(pathname.replace(/^\/+/, '/'))}/` });
      found = await openInside(outDir, path.join(file, 'index.html'));
    }
    if (found === 'outside') return send(res, 403, 'Forbidden\n', TYPES['.txt']!);
    if (found === null || found === 'folder') return notFound(res);
    return sendFile(req, res, found);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, `Internal error: ${err.message}\n`, TYPES['.txt']!);
    });
  });
  const port = await listen(server, host, options.port);
  const heartbeat = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, 15_000);
  heartbeat.unref();

  const broadcast = (event: string, data: string) => {
    for (const c of clients) c.write(`event: ${event}\ndata: ${data}\n\n`);
  };
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    url: `http://${shownHost}:${port}${basePath}`,
    port,
    reload(css) {
      lastError = null;
      broadcast('reload', JSON.stringify({ css }));
    },
    buildFailed(messages) {
      lastError = JSON.stringify({ messages });
      broadcast('build-error', lastError);
    },
    async close() {
      clearInterval(heartbeat);
      for (const c of clients) c.end();
      clients.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** Listens on the first free port from `first` on (20 tries). */
async function listen(server: http.Server, host: string, first: number): Promise<number> {
  for (let port = first; port < first + 20; port++) {
    const ok = await new Promise<boolean>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => {
        server.off('listening', onListening);
        if (err.code === 'EADDRINUSE') resolve(false);
        else reject(err);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve(true);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port === 0 ? 0 : port, host);
    });
    if (ok) return (server.address() as AddressInfo).port;
    if (port === 0) break;
  }
  throw new Error(`no free port from ${first} to ${first + 19} on ${host}`);
}
