import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files named by `patterns`: a path as is, or a glob whose `*` and `?` match within one path
 * segment (`records/*.jsonl`, `logs/*\/calls.jsonl`), for shells that pass it quoted. Sorted,
 * each file once. A pattern that names nothing is returned in `unmatched`.
 *
 *   await expandPaths(['records/*.jsonl'])   // { files: ['records/a.jsonl', ...], unmatched: [] }
 */
export async function expandPaths(patterns: readonly string[]): Promise<{ files: string[]; unmatched: string[] }> {
  const files = new Set<string>();
  const unmatched: string[] = [];
  for (const pattern of patterns) {
    const found = /[*?]/.test(pattern) ? await glob(pattern) : (await isFile(pattern)) ? [pattern] : [];
    if (found.length === 0) unmatched.push(pattern);
    for (const f of found) files.add(f);
  }
  return { files: [...files].sort(), unmatched };
}

async function glob(pattern: string): Promise<string[]> {
  const absolute = pattern.startsWith('/');
  const segments = pattern.split('/').filter((s) => s !== '');
  let bases = [absolute ? '/' : '.'];
  for (const [i, segment] of segments.entries()) {
    const lastSegment = i === segments.length - 1;
    const next: string[] = [];
    for (const base of bases) {
      if (!/[*?]/.test(segment)) {
        next.push(join(base, segment));
        continue;
      }
      const re = new RegExp(`^${segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
      const entries = await readdir(base, { withFileTypes: true }).catch(() => []);
      for (const e of entries) {
        if (!re.test(e.name) || (e.name.startsWith('.') && !segment.startsWith('.'))) continue;
        if (lastSegment ? e.isFile() : e.isDirectory()) next.push(join(base, e.name));
      }
    }
    bases = next;
  }
  const found: string[] = [];
  for (const f of bases) if (await isFile(f)) found.push(absolute ? f : f.replace(/^\.\//, ''));
  return found;
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}
