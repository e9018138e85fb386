// File names built from outside data (order ids from an imported order report, shipment references,
// marketplace SKUs) and the folders merchant writes them into. One helper for every such file:
//   safeFileName  — any text → one harmless file name (no separators, no "..", no leading dot or dash,
//                   no control characters, no device names, bounded length); a name that had to be
//                   changed gets a short hash of the original, so two different ids never share a file;
//   fileInside    — the path of such a name inside its folder, refused (exit 3, nothing written) when it
//                   would land anywhere else, also through a symlink already sitting at that path
//                   (files are written through symlinks: config/atomic.ts).

import { createHash } from 'node:crypto';
import { lstatSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { InvalidInputError } from '../core/errors.js';
import { writeTarget } from './atomic.js';

const MAX_NAME = 120;
const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?$/i;

/** `text` as a single file name that means nothing special to any file system or shell. */
export function safeFileName(text: string, fallback = 'file'): string {
  let name = text
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._-]+/gu, '_') // separators, spaces, control and shell characters
    .replace(/\.{2,}/g, '_') // no ".." anywhere
    .replace(/^[.\-_]+/, '') // no hidden file, nothing that reads as an option
    .replace(/[._]+$/, ''); // Windows drops trailing dots
  if (!name) name = fallback;
  if (WINDOWS_DEVICES.test(name)) name = `file-${name}`;
  const changed = name !== text;
  if (changed || name.length > MAX_NAME) {
    const tag = createHash('sha256').update(text).digest('hex').slice(0, 8);
    name = `${name.slice(0, MAX_NAME - 9)}-${tag}`;
  }
  return name;
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function inside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

/**
 * `dir`/`name` for a file merchant writes: `name` is made safe (safeFileName, keeping `ext`), and the
 * result must resolve inside `dir` — also when the path already exists as a symlink (it is written
 * through, so its target must be inside the folder too).
 */
export function fileInside(dir: string, name: string, ext = ''): string {
  const file = `${safeFileName(name)}${ext}`;
  const path = join(dir, file);
  const folder = realOrResolved(dir);
  const lexical = resolve(dir);
  if (!inside(lexical, resolve(path)) || basename(path) !== file) {
    throw outside(path, dir);
  }
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch {
    /* not there yet */
  }
  if (isLink) {
    const target = writeTarget(path).path;
    if (!inside(folder, resolve(realOrResolved(dirname(target)), basename(target)))) throw outside(path, dir, target);
  }
  return path;
}

function outside(path: string, dir: string, target?: string): InvalidInputError {
  return new InvalidInputError(`refusing to write ${path}${target ? ` (a link to ${target})` : ''}: it is outside ${dir}; nothing was written`, {
    hints: [target ? `remove the link (rm ${path}) and run the command again` : `check the name it was built from; files merchant keeps go inside ${dir}`],
  });
}
