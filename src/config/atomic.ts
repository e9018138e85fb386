// Files are written atomically: a temp file in the same folder, fsync, then rename over the target.
// A crash leaves the old file or the new one, never half of either.

import { openSync, writeSync, fsyncSync, closeSync, renameSync, mkdirSync, unlinkSync, chmodSync, existsSync, statSync } from 'node:fs';
import { UsageError } from '../core/errors.js';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicFileOptions {
  /** File mode of the result (default 0644). */
  mode?: number;
  /**
   * Create missing parent folders (for merchant's own files under its home). For a path the user gave
   * (--output) a missing folder is more likely a typo, so it is an error.
   */
  mkdir?: boolean;
}

/** A file being written: nothing appears at `path` until commit(); abort() leaves no trace. */
export interface AtomicFile {
  write(chunk: string | Uint8Array): void;
  commit(): void;
  abort(): void;
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

/** Open `path` for an atomic, streamed write (a million export rows never sit in memory). */
export function openAtomicFile(path: string, opts: AtomicFileOptions = {}): AtomicFile {
  const mode = opts.mode ?? 0o644;
  const dir = dirname(path);
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`${path} is a folder; give a file name`, { hints: ['e.g. --output report.csv'] });
  }
  if (opts.mkdir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  else if (!existsSync(dir)) {
    throw new UsageError(`cannot write ${path}: the folder ${dir} does not exist`, { hints: [`create it first (mkdir -p ${dir}) or choose another path`] });
  }
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let fd: number | undefined = openSync(tmp, 'wx', mode);
  const close = () => {
    if (fd === undefined) return;
    const f = fd;
    fd = undefined;
    closeSync(f);
  };
  return {
    write(chunk) {
      if (fd === undefined) throw new Error('write after commit or abort');
      try {
        writeSync(fd, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      } catch (e) {
        this.abort();
        throw e;
      }
    },
    commit() {
      try {
        if (fd !== undefined) fsyncSync(fd);
        close();
        chmodSync(tmp, mode);
        renameSync(tmp, path);
      } catch (e) {
        this.abort();
        throw e;
      }
    },
    abort() {
      try {
        close();
      } catch {
        /* closing a broken descriptor: nothing more to do */
      }
      removeQuietly(tmp);
    },
  };
}

/** Write a whole file atomically (see openAtomicFile for the options). */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode = 0o644, opts: { mkdir?: boolean } = {}): void {
  const f = openAtomicFile(path, { mode, mkdir: opts.mkdir });
  f.write(data);
  f.commit();
}
