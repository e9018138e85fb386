// Files are written atomically: a temp file in the same folder, fsync, then rename over the target.
// A crash leaves the old file or the new one, never half of either.

import { openSync, writeSync, fsyncSync, closeSync, renameSync, mkdirSync, unlinkSync, chmodSync, existsSync, statSync } from 'node:fs';
import { UsageError } from '../cli/errors.js';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Write a file atomically. `mkdir` creates missing parent folders (for merchant's own files under its
 * home); for a path the user gave (--output) a missing folder is more likely a typo, so it is an error.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644, opts: { mkdir?: boolean } = {}): void {
  const dir = dirname(path);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`${path} is a folder; give a file name`, { hints: ['e.g. --output report.csv'] });
  }
  if (opts.mkdir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  else if (!existsSync(dir)) {
    throw new UsageError(`cannot write ${path}: the folder ${dir} does not exist`, { hints: [`create it first (mkdir -p ${dir}) or choose another path`] });
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
  closeSync(fd);
  try {
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw e;
  }
}
