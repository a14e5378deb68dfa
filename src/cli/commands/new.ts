import fs from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../config/resolve.js';
import { slugify } from '../../site/slug.js';
import { today } from '../../util/dates.js';
import { UsageError } from '../../util/messages.js';
import { EXIT, type CliIO } from '../io.js';

/** The Markdown a new post starts with. */
export function newPostText(title: string, day: string): string {
  return `---
title: ${JSON.stringify(title)}
date: ${day}
author: ""
tags: []
summary: ""
---

Write your post here. A blank line starts a new paragraph.
`;
}

/** `gi-build new "Title"`: writes `posts/YYYY-MM-DD-title.md`, dated today in the site's time zone; never overwrites. */
export async function runNew(title: string, flags: { root?: string }, io: CliIO): Promise<number> {
  const config = await loadConfig({ root: flags.root }, io.cwd);
  const slug = slugify(title);
  if (!title.trim() || !slug) throw new UsageError(`cannot make a file name from the title ${JSON.stringify(title)}`, 'Give a title with letters or digits, e.g. gi-build new "Our spring update".');
  const day = today(config.timeZone, io.now);
  const rel = `posts/${day}-${slug}.md`;
  const file = path.join(config.root, rel);
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, newPostText(title.trim(), day), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new UsageError(`${rel} already exists; nothing was written`, 'Choose another title, or edit the existing post.');
    }
    throw err;
  }
  io.stdout.write(`Created ${path.relative(io.cwd, file) || rel}\n`);
  return EXIT.ok;
}
