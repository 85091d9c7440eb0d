/**
 * File-system events for hot reload, from chokidar: it watches each folder, follows symlinks and
 * re-attaches to files replaced by rename, where Node's recursive `fs.watch` on Linux loses a
 * file once it is renamed over (`sed -i`, editors' atomic save, `git checkout`). Events can still
 * be missed (network file systems, overflowing kernel queues): the reloader's periodic rescan
 * (flows-fingerprint.ts) is the backstop.
 *
 *   const watcher = watchFlows(['flows/'], (file) => scheduleReload(file), log);
 *   await watcher.ready;
 *   await watcher.close();
 */
import { basename, dirname } from 'node:path';
import { stat } from 'node:fs/promises';
import { watch } from 'chokidar';
import type { CallLog } from '../call/call-log.js';

export interface FlowsWatcher {
  ready: Promise<void>;
  close(): Promise<void>;
}

export async function watchFlows(paths: readonly string[], changed: (file: string) => void, affectsServing: (file: string) => boolean, log?: CallLog): Promise<FlowsWatcher> {
  // A single file is watched through its folder: editors replace files (rename).
  const roots = await Promise.all(paths.map(async (p) => ((await stat(p).catch(() => undefined))?.isDirectory() === false ? dirname(p) : p)));
  const watcher = watch([...new Set(roots)], {
    ignoreInitial: true,
    followSymlinks: true,
    // Files that cannot change what is served (call records, flow tests, notes) are not watched at all.
    ignored: (path, stats) => {
      const name = basename(path);
      return name === 'node_modules' || name === '.git' || (stats?.isFile() === true && !affectsServing(name));
    },
  });
  watcher.on('all', (event, path) => {
    if (event === 'addDir' || event === 'unlinkDir' ? !basename(path).startsWith('.') : affectsServing(basename(path))) changed(path);
  });
  watcher.on('error', (err) => log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'watching the flows: an error (the periodic rescan still runs)'));
  return {
    ready: new Promise((resolve) => watcher.once('ready', () => resolve())),
    close: () => watcher.close(),
  };
}
