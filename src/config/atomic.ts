// Files are written atomically: a temp file in the same folder, fsync, then rename over the target.
// A crash leaves the old file or the new one, never half of either.
//
// Only a regular file (or a path where nothing exists yet) can be replaced that way. What the path
// names decides how it is written:
//   - a missing path or a regular file: temp file + fsync + rename (the file's mode is kept);
//   - a symlink: followed; its final target is written as above when it is a regular file or missing
//     (the link stays a link: `marketplace connect` writes through a symlinked credentials file);
//   - anything else — a character device (/dev/null, /dev/full, a terminal), a pipe or FIFO
//     (/dev/stdout, /proc/self/fd/1 on a pipe), a socket: written in place, as `cat > path` would.
//     Renaming over one would replace the device node with a regular file (as root: /dev/full).
//   - a folder: refused.

import {
  openSync,
  writeSync,
  fsyncSync,
  closeSync,
  renameSync,
  mkdirSync,
  unlinkSync,
  chmodSync,
  existsSync,
  statSync,
  lstatSync,
  readlinkSync,
  type Stats,
} from 'node:fs';
import { UsageError } from '../core/errors.js';
import { dirname, basename, join, resolve, isAbsolute } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface AtomicFileOptions {
  /** File mode of the result (default: the replaced file's mode, else 0644). */
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

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
}

/** The kernel's per-process file links (/proc/self/fd/1, /dev/stdout → /proc/self/fd/1, /dev/fd/2). */
const MAGIC_LINK = /^\/(?:proc\/(self|\d+|thread-self)\/fd|dev\/fd)\/(\d+)$/;

/** One of this process's own descriptors named through a magic link (written to directly: a socket cannot be reopened by path). */
function ownDescriptor(path: string): number | undefined {
  const m = MAGIC_LINK.exec(path);
  if (!m) return undefined;
  const who = m[1];
  return who === undefined || who === 'self' || who === 'thread-self' || Number(who) === process.pid ? Number(m[2]) : undefined;
}

export interface WriteTarget {
  /** Where the bytes go: the path itself, or the end of its symlink chain. */
  path: string;
  /** 'replace': temp file + rename; 'in-place': open and write (devices, pipes, sockets). */
  how: 'replace' | 'in-place';
  /** In place into one of this process's open descriptors (/proc/self/fd/N, /dev/stdout). */
  fd?: number;
  /** The mode of the regular file being replaced. */
  mode?: number;
}

/**
 * What writing to `path` means (see the header of this file). Symlinks are followed one link at a
 * time, so a dangling link's target (a missing path) is found too, and /proc/self/fd links — which
 * name a pipe or a terminal, not a path — are written in place.
 */
export function writeTarget(path: string): WriteTarget {
  let p = path;
  for (let hops = 0; hops < 40; hops++) {
    if (MAGIC_LINK.test(p)) {
      const fd = ownDescriptor(p);
      return { path: p, how: 'in-place', ...(fd !== undefined ? { fd } : {}) };
    }
    const st = lstatOrUndefined(p);
    if (!st) return { path: p, how: 'replace' };
    if (st.isSymbolicLink()) {
      const to = readlinkSync(p);
      p = isAbsolute(to) ? to : resolve(dirname(p), to);
      continue;
    }
    if (st.isDirectory()) throw new UsageError(`${path} is a folder; give a file name`, { hints: ['e.g. --output report.csv'] });
    if (st.isFile()) return { path: p, how: 'replace', mode: st.mode & 0o777 };
    return { path: p, how: 'in-place' };
  }
  throw new UsageError(`${path}: too many levels of symbolic links`, { hints: ['point --output at a file, not at a loop of links'] });
}

/** Open `path` for an atomic, streamed write (a million export rows never sit in memory). */
export function openAtomicFile(path: string, opts: AtomicFileOptions = {}): AtomicFile {
  const target = writeTarget(path);
  if (target.how === 'in-place') return openInPlace(target.path, target.fd);
  const mode = opts.mode ?? target.mode ?? 0o644;
  const dir = dirname(target.path);
  if (opts.mkdir) mkdirSync(dir, { recursive: true, mode: 0o700 });
  else if (!existsSync(dir)) {
    throw new UsageError(`cannot write ${path}: the folder ${dir} does not exist`, { hints: [`create it first (mkdir -p ${dir}) or choose another path`] });
  } else if (!statSync(dir).isDirectory()) {
    throw new UsageError(`cannot write ${path}: ${dir} is not a folder`, { hints: ['choose another path'] });
  }
  const tmp = join(dir, `.${basename(target.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
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
        renameSync(tmp, target.path);
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

/**
 * A device, pipe or socket: opened for writing where it is (never created, never replaced). There is no
 * "before" to go back to, so abort() only closes it.
 */
function openInPlace(path: string, own?: number): AtomicFile {
  // (A descriptor of our own, e.g. stdout, is written to and left open: it is not ours to close.)
  let fd: number | undefined = own ?? openSync(path, 'w');
  const close = () => {
    if (fd === undefined) return;
    const f = fd;
    fd = undefined;
    if (own === undefined) closeSync(f);
  };
  return {
    write(chunk) {
      if (fd === undefined) throw new Error('write after commit or abort');
      const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
      try {
        // (A pipe may take part of a large chunk: write the rest.)
        for (let off = 0; off < buf.length; ) off += writeSync(fd, buf, off, buf.length - off);
      } catch (e) {
        this.abort();
        throw e;
      }
    },
    commit() {
      close();
    },
    abort() {
      try {
        close();
      } catch {
        /* nothing more to do */
      }
    },
  };
}

/**
 * Write a file atomically from pieces as they are produced (an export read from a cursor): gathered into
 * writes of about 64 KB (a piece per row would be a system call per row); nothing is at the path until
 * the last one is written, and a failure on the way leaves no file.
 */
export function writeFileAtomicFrom(path: string, pieces: Iterable<string>, opts: AtomicFileOptions = {}): void {
  const f = openAtomicFile(path, opts);
  try {
    let buf = '';
    for (const p of pieces) {
      buf += p;
      if (buf.length >= 64 * 1024) {
        f.write(buf);
        buf = '';
      }
    }
    if (buf) f.write(buf);
  } catch (e) {
    f.abort();
    throw e;
  }
  f.commit();
}

/** Write a whole file atomically (see openAtomicFile for the options). */
export function writeFileAtomic(path: string, data: string | Uint8Array, mode?: number, opts: { mkdir?: boolean } = {}): void {
  const f = openAtomicFile(path, { ...(mode !== undefined ? { mode } : {}), mkdir: opts.mkdir });
  f.write(data);
  f.commit();
}
