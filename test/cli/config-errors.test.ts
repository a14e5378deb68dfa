import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { exists, makeSite, post, runCli } from '../helpers/site.js';

const POSTS = { 'posts/2024-01-01-hello.md': post({ title: 'Hello', date: '2024-01-01' }) };

describe('configuration errors (exit code 2, nothing written)', () => {
  it.each([
    ['a JS config whose function throws', { 'gi-build.config.mjs': 'export default () => {\n  throw new Error("SITE_TITLE is not set");\n};\n' }, [], 'gi-build: gi-build.config.mjs:2:9: the config function failed: SITE_TITLE is not set\n'],
    ['a JS config whose async function rejects', { 'gi-build.config.mjs': 'export default async () => {\n  await null;\n  throw new TypeError("bad");\n};\n' }, [], 'gi-build: gi-build.config.mjs:3:9: the config function failed: TypeError: bad\n'],
    ['a JS config whose exported promise rejects', { 'gi-build.config.mjs': 'export default Promise.reject("offline");\n' }, [], "gi-build: gi-build.config.mjs: the config's exported promise was rejected: offline\n"],
    ['a base path with a URL scheme on the command line', {}, ['--base-path', 'javascript:alert(1)'], 'gi-build: base path "javascript:alert(1)" starts with the URL scheme "javascript:", but it must be a path\n'],
    ['a base path with a URL scheme in the config', { 'gi-build.config.json': JSON.stringify({ basePath: 'data:text/html,x' }) }, [], 'gi-build: base path "data:text/html,x" starts with the URL scheme "data:", but it must be a path\n'],
    ['a base path with a control character', {}, ['--base-path', '/blog/\u0007'], 'gi-build: base path "/blog/\\u0007" contains a control character (U+0007)\n'],
  ])('%s', async (_, files: Record<string, string>, args: string[], expected) => {
    const root = await makeSite({ ...POSTS, ...files });
    const r = await runCli(args, { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr.startsWith(expected)).toBe(true);
    expect(r.stderr).not.toContain('internal error');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe('');
    expect(await exists(path.join(root, 'dist'))).toBe(false);
  });
});
