/**
 * Reading a flow (or flow test) file as untrusted input. A flows folder is whatever lands in it
 * (a pull request in CI, a ConfigMap under `ivr serve`), so a file is read only when it is a
 * regular file whose real path (symlinks followed) stays inside the folder it was found in, and
 * only up to `maxBytes`: a link to `/proc/self/environ`, `/dev/zero` or `/dev/stdin` is refused
 * from `stat` alone, before anything is opened or read.
 *
 * @example
 *   const folder = realFolder('/srv/flows'); // once per load
 *   const read = readFlowFile('/srv/flows/menu.yaml', folder);
 *   if (!read.ok) report(read.code, read.message); else parse(read.text);
 */
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import type { FlowCode } from '../diagnostics/codes.js';

/** The bounds of a flow file, checked before it is parsed (flow-language.md v1.1, "Bounds"). */
export const FLOW_FILE_LIMITS = {
  /** Bytes; a larger file is `file-too-large`. */
  maxBytes: 1024 * 1024,
  /** Nesting of maps and lists; deeper is `file-too-deep` (see yaml-depth.ts). */
  maxDepth: 64,
  /**
   * Values (each map value, list item and key's value, maps and lists included), an alias counted
   * as everything it repeats, each time: more is `file-too-large` (flow-source.ts `countValues`).
   * Without it, 11 KiB of YAML (a list anchored once, aliased 99 times) made 400,000 values to check
   * and took 3.6 s and 1 GB; the largest real flows hold a few thousand (a 1 MiB list of small
   * numbers would hold half a million, each checked and, when wrong, reported by ajv several times).
   */
  maxValues: 100_000,
} as const;

export type ReadFlowFile = { ok: true; text: string } | { ok: false; code: FlowCode; message: string };

/**
 * Reads `file` if it may be read as a flow of the folder whose real path is `folder`
 * (`realFolder`, resolved once for every file of a load). The file's path is resolved once: the
 * real path is checked, then opened without following a link. Messages never contain the file's
 * bytes nor the path a link points to (the target is none of the author's business).
 */
export function readFlowFile(file: string, folder: string, maxBytes: number = FLOW_FILE_LIMITS.maxBytes): ReadFlowFile {
  let real: string;
  try {
    real = realpathSync(file);
  } catch (err) {
    return unreadable(err);
  }
  let info;
  try {
    info = statSync(real);
  } catch (err) {
    return unreadable(err);
  }
  if (!info.isFile()) {
    return { ok: false, code: 'file-not-regular', message: `not a regular file (${kindOf(info)}); only regular files are read as flows` };
  }
  if (!isInside(real, folder)) return outside();
  if (info.size > maxBytes) return tooLarge(maxBytes);
  return readBounded(real, folder, maxBytes);
}

/** The real path of a flows folder, or the path as given when it cannot be resolved (nothing is read from it then). */
export function realFolder(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

/** Whether `path` (a real path) is `root` or below it. */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  // `..data/x.yaml` (a ConfigMap's layout) is inside; `..` and `../x` are not.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/**
 * Reads a regular file, at most `maxBytes`: opened without following a link when `path` is a real
 * path (`resolved`: the caller just resolved it; otherwise it is resolved here), so a link swapped
 * in for the file after the path was resolved is refused (`ESWAPPED`; an `ELOOP` is a link
 * loop met while resolving), and without blocking (a FIFO
 * swapped in would wait for a writer), checked again to be a regular file once open, and read in
 * chunks up to `maxBytes + 1` bytes, since `stat` sizes can lie (`/proc` files say 0). With
 * `inside` (a real folder path), the file actually opened must be in that folder (`openedInside`):
 * a parent folder swapped for a link after the check is refused too. Throws an error whose `code`
 * is the errno's, `EISDIR` for a folder, `ENOTREG` for any other file that is not regular, `EFBIG`
 * past `maxBytes`, `EOUTSIDE` when the opened file is not inside `inside`.
 * Prompt audio is read through this too (audio/wav.ts), with its own bound.
 */
export function readRegularFile(path: string, maxBytes: number, options: { resolved?: boolean; inside?: string } = {}): Buffer {
  const real = options.resolved === true || path === realpathSync(path);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (real ? constants.O_NOFOLLOW : 0));
  } catch (err) {
    // Under O_NOFOLLOW, ELOOP is no loop: the real path's last component became a link.
    if (real && (err as NodeJS.ErrnoException).code === 'ELOOP') throw Object.assign(new Error('a link was swapped in for the file'), { code: 'ESWAPPED' });
    throw err;
  }
  try {
    if (options.inside !== undefined && !openedInside(fd, options.inside)) {
      throw Object.assign(new Error('the file opened is outside its folder'), { code: 'EOUTSIDE' });
    }
    const info = fstatSync(fd);
    if (!info.isFile()) throw Object.assign(new Error(`not a regular file (${kindOf(info)})`), { code: info.isDirectory() ? 'EISDIR' : 'ENOTREG' });
    let chunk = Buffer.allocUnsafe(Math.min(maxBytes + 1, Math.max(info.size + 1, 64 * 1024)));
    let length = 0;
    for (;;) {
      if (length === chunk.length) {
        if (length > maxBytes) break;
        const bigger = Buffer.allocUnsafe(Math.min(maxBytes + 1, length * 2));
        chunk.copy(bigger, 0, 0, length);
        chunk = bigger;
      }
      const n = readSync(fd, chunk, length, chunk.length - length, null);
      if (n === 0) break;
      length += n;
    }
    if (length > maxBytes) throw Object.assign(new Error(`larger than ${maxBytes} bytes`), { code: 'EFBIG' });
    return chunk.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether the file open as `fd` is inside the real folder `folder`, by the path the kernel gives
 * the open file (`/proc/self/fd/N` on Linux): what was checked as a string before the open may
 * have changed since (a parent folder swapped for a link). Where `/proc` is absent the check
 * before the open is all there is.
 */
export function openedInside(fd: number, folder: string): boolean {
  let opened: string;
  try {
    opened = realpathSync(`/proc/self/fd/${fd}`);
  } catch {
    return true;
  }
  return isInside(opened, folder);
}

function readBounded(real: string, folder: string, maxBytes: number): ReadFlowFile {
  try {
    return { ok: true, text: readRegularFile(real, maxBytes, { resolved: true, inside: folder }).toString('utf8') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EFBIG') return tooLarge(maxBytes);
    // The path was just resolved: a link there now or an opened file elsewhere was swapped in since.
    if (code === 'EOUTSIDE' || code === 'ESWAPPED') return outside();
    if (code === 'ENOTREG' || code === 'EISDIR') return { ok: false, code: 'file-not-regular', message: `${(err as Error).message}; only regular files are read as flows` };
    return unreadable(err);
  }
}

function outside(): ReadFlowFile {
  return { ok: false, code: 'file-outside-folder', message: 'links to a file outside the flows folder; only files inside the folder are read' };
}

function tooLarge(maxBytes: number): ReadFlowFile {
  return { ok: false, code: 'file-too-large', message: `the file is larger than ${maxBytes} bytes (${maxBytes / 1024 / 1024} MiB), the most a flow file may hold; split it into subflows` };
}

function unreadable(err: unknown): ReadFlowFile {
  const code = (err as NodeJS.ErrnoException).code;
  const why = code === 'ENOENT' ? 'it does not exist (or is a link to nothing)' : code === 'EACCES' ? 'permission denied' : code === 'ELOOP' ? 'a link loop' : (code ?? 'unknown error');
  return { ok: false, code: 'file-unreadable', message: `cannot read the flow file: ${why}` };
}

function kindOf(info: { isDirectory(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isFIFO(): boolean; isSocket(): boolean }): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isFIFO()) return 'a pipe';
  if (info.isSocket()) return 'a socket';
  return 'not a file';
}
