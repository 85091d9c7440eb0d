/**
 * What the periodic rescan of the flows folder compares: a hash over every file that can change
 * what is served (flows and prompt audio, named as `affectsServing` says), with its identity
 * (device, inode), size and times, read through symlinks. Any way a file can change — written in
 * place, replaced by rename (`sed -i`, editors, `git checkout`), deleted, added, or a Kubernetes
 * ConfigMap's `..data` symlink swapped to a new folder (every file then resolves to a new inode) —
 * changes the hash, whether or not a file-system event was delivered.
 *
 *   const before = await flowsFingerprint(['flows/']);
 *   if ((await flowsFingerprint(['flows/'])) !== before) reload();
 */
import { createHash, type Hash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Files looked at per scan (a bound on the rescan's work); beyond, the rest of the folder is not scanned. */
export const FINGERPRINT_MAX_FILES = 10_000;
/** Symlinked folders are followed this deep (a symlink loop ends here). */
const MAX_DEPTH = 16;

export async function flowsFingerprint(paths: readonly string[], affectsServing: (file: string) => boolean): Promise<string> {
  const hash = createHash('sha1');
  const budget = { files: FINGERPRINT_MAX_FILES };
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info === undefined) hash.update(`${path}\0missing\n`);
    else await scan(info.isDirectory() ? path : dirname(path), 0, hash, budget, affectsServing);
  }
  return hash.digest('base64');
}

async function scan(dir: string, depth: number, hash: Hash, budget: { files: number }, affectsServing: (file: string) => boolean): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (budget.files <= 0) return;
    // Hidden folders (a ConfigMap's `..data` and `..<timestamp>` among them) are seen through the
    // visible symlinks that point into them.
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const full = join(dir, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isDirectory() === true);
    if (isDir) {
      if (depth < MAX_DEPTH) await scan(full, depth + 1, hash, budget, affectsServing);
      continue;
    }
    if (!affectsServing(entry.name)) continue;
    budget.files--;
    const s = await stat(full, { bigint: true }).catch(() => undefined);
    hash.update(s === undefined ? `${full}\0missing\n` : `${full}\0${s.dev}\0${s.ino}\0${s.size}\0${s.mtimeNs}\0${s.ctimeNs}\n`);
  }
}
