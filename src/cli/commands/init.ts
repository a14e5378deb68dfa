import fs from 'node:fs/promises';
import path from 'node:path';
import { today } from '../../util/dates.js';
import { UsageError } from '../../util/messages.js';
import { EXIT, type CliIO } from '../io.js';
import { newPostText } from './new.js';

/** The files a new site starts with, by site-relative path. */
export function starterFiles(title: string, day: string): Record<string, string> {
  const config = {
    title,
    description: `News and stories from ${title}.`,
    baseUrl: 'https://www.example.org',
    language: 'en',
    timeZone: 'UTC',
    copyright: { holder: title, since: Number(day.slice(0, 4)) },
    nav: [{ text: 'About', url: '/about/' }, { text: 'Archive', url: '/archive/' }],
    footerLinks: [{ text: 'About', url: '/about/' }],
    postsPerPage: 10,
  };
  return {
    'gi-build.config.json': `${JSON.stringify(config, null, 2)}\n`,
    [`posts/${day}-welcome.md`]: newPostText('Welcome to our blog', day).replace('Write your post here. A blank line starts a new paragraph.', 'This is the first post of our new blog. Edit it in `posts/`, or add another with `gi-build new "Title"`.'),
    'pages/about.md': '---\ntitle: About\n---\n\nTell your readers who you are. This page lives in `pages/about.md`.\n',
    '.gitignore': 'dist/\n.gi-cache/\nnode_modules/\n',
  };
}

/** `gi-build init [dir]`: writes a new site that builds; refuses to touch an existing site. */
export async function runInit(dir: string | undefined, io: CliIO): Promise<number> {
  const root = path.resolve(io.cwd, dir ?? '.');
  const title = path.basename(root).replace(/[-_]+/g, ' ').replace(/^\w/, (c) => c.toUpperCase()) || 'My blog';
  const files = starterFiles(title, today('UTC', io.now));
  for (const rel of Object.keys(files)) {
    const exists = await fs.stat(path.join(root, rel)).then(() => true, () => false);
    if (exists && rel !== '.gitignore') {
      throw new UsageError(`${path.join(root, rel)} already exists; nothing was written`, 'Run init in a new or empty folder.');
    }
  }
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, text, { flag: rel === '.gitignore' ? 'a' : 'wx' });
  }
  const where = path.relative(io.cwd, root) || '.';
  io.stdout.write(`Created a new site in ${where}/\n\nNext:\n${where === '.' ? '' : `  cd ${where}\n`}  npx gi-build        build it into dist/\n  npx gi-build new "My first post"\n`);
  return EXIT.ok;
}
