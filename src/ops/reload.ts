/**
 * Hot reload: watch the flows folder, and after a quiet moment (`debounceMs`, editors save in
 * several writes) load, check, compile and convert everything again. A set without errors becomes
 * `current()`, which the server asks at each call's start: new calls get the new versions, calls in
 * progress keep the compiled flow and prompts they started with. A set with errors is refused: the
 * previous one keeps serving, the diagnostics are printed as `ivr validate` prints them, counted in
 * metrics and shown by `/readyz` until a good edit comes.
 *
 *   const reloader = createFlowReloader(serving, { paths: ['flows/'], log, report: (t) => process.stderr.write(t) });
 *   reloader.watch();
 *   createServer({ ..., flows: () => reloader.current() });
 */
import { watch, type FSWatcher } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { CallLog } from '../call/call-log.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { countBySeverity } from '../diagnostics/report.js';
import { renderText } from '../diagnostics/render-text.js';
import type { ServingFlows } from '../plivo/serving-flows.js';

export type LoadServingFlows = (paths: string[]) => Promise<{ value: ServingFlows | undefined; diagnostics: Diagnostic[]; flowCount: number }>;

export type ReloadOutcome =
  | { ok: true; changed: boolean; serving: ServingFlows; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; text: string };

/** What `/readyz` shows about the flows. */
export interface ReloadStatus {
  ok: boolean;
  loadedAt: number;
  versions: Record<string, string>;
  /** The last refused reload, until a later one succeeds. */
  failed?: { at: number; errors: number; warnings: number; diagnostics: Diagnostic[] };
}

export interface FlowReloaderOptions {
  paths: string[];
  /** Default: `loadServingFlows` of src/plivo/serving-flows.ts. */
  load?: LoadServingFlows;
  /** Quiet time after the last change before reloading; default 250 ms. */
  debounceMs?: number;
  log?: CallLog;
  /** Receives the diagnostics text of a refused reload (`ivr serve` writes it to stderr). */
  report?: (text: string) => void;
  onLoaded?: (serving: ServingFlows) => void;
  onFailed?: (diagnostics: Diagnostic[]) => void;
  /** Paths in diagnostics are shown relative to this; default the working directory. */
  cwd?: string;
}

export interface FlowReloader {
  current(): ServingFlows;
  status(): ReloadStatus;
  /** Loads now (also what the watcher calls). Concurrent calls share one run, then one more. */
  reload(): Promise<ReloadOutcome>;
  /** Starts watching `paths`; changes trigger a debounced reload. */
  watch(): Promise<void>;
  /** Resolves with the outcome of the next reload that finishes. */
  nextReload(): Promise<ReloadOutcome>;
  close(): void;
}

function versionsOf(serving: ServingFlows): Record<string, string> {
  return Object.fromEntries([...serving.flows.values()].map((f) => [f.id, f.version]));
}

function sameVersions(a: ServingFlows, b: ServingFlows): boolean {
  const va = versionsOf(a);
  const vb = versionsOf(b);
  return Object.keys(va).length === Object.keys(vb).length && Object.entries(va).every(([id, v]) => vb[id] === v);
}

/**
 * Only flows and prompt audio change what is served: flow tests, call records, editor swap files
 * and the like do not trigger a reload. A change without a file name (some platforms) does.
 */
export function affectsServing(file: string | null): boolean {
  if (file === null) return true;
  const name = basename(file);
  if (name.startsWith('.') || /\.test\.ya?ml$/.test(name)) return false;
  return /\.(ya?ml|wav)$/i.test(name);
}

export function createFlowReloader(initial: ServingFlows, options: FlowReloaderOptions): FlowReloader {
  const debounceMs = options.debounceMs ?? 250;
  const cwd = options.cwd ?? process.cwd();
  let serving = initial;
  let failed: ReloadStatus['failed'];
  let running: Promise<ReloadOutcome> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let waiters: ((o: ReloadOutcome) => void)[] = [];
  const watchers: FSWatcher[] = [];

  const loader = async (paths: string[]): ReturnType<LoadServingFlows> => {
    if (options.load) return options.load(paths);
    const { loadServingFlows } = await import('../plivo/serving-flows.js');
    return loadServingFlows(paths);
  };

  async function loadOnce(): Promise<ReloadOutcome> {
    let outcome: ReloadOutcome;
    try {
      const loaded = await loader(options.paths);
      const empty = loaded.value !== undefined && loaded.value.flows.size === 0;
      if (loaded.value === undefined || empty) {
        const text = renderText({ flows: loaded.flowCount, diagnostics: loaded.diagnostics }, cwd) + (empty ? `no flows found in ${options.paths.join(', ')}\n` : '');
        outcome = { ok: false, diagnostics: loaded.diagnostics, text };
      } else {
        const changed = !sameVersions(serving, loaded.value);
        if (changed) serving = loaded.value;
        outcome = { ok: true, changed, serving, diagnostics: loaded.diagnostics };
      }
    } catch (err) {
      // A bug in the front end must not stop the server: keep serving, say so.
      outcome = { ok: false, diagnostics: [], text: `reload failed: ${err instanceof Error ? err.message : String(err)}\n` };
    }
    if (outcome.ok) {
      failed = undefined;
      if (outcome.changed) {
        options.log?.info({ versions: versionsOf(serving) }, 'flows reloaded: new calls use the new versions');
        options.onLoaded?.(serving);
      }
    } else {
      const counts = countBySeverity(outcome.diagnostics);
      failed = { at: Date.now(), ...counts, diagnostics: outcome.diagnostics };
      options.log?.error({ errors: counts.errors, warnings: counts.warnings }, 'reload refused: the previous flows keep serving');
      options.report?.(outcome.text);
      options.onFailed?.(outcome.diagnostics);
    }
    const w = waiters;
    waiters = [];
    for (const resolve of w) resolve(outcome);
    return outcome;
  }

  function reload(): Promise<ReloadOutcome> {
    if (running) {
      again = true;
      return running;
    }
    running = loadOnce().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        void reload();
      }
    });
    return running;
  }

  function changed(file: string | null): void {
    if (!affectsServing(file)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      void reload();
    }, debounceMs);
  }

  return {
    current: () => serving,
    status: () => ({ ok: failed === undefined, loadedAt: serving.loadedAt, versions: versionsOf(serving), ...(failed ? { failed } : {}) }),
    reload,
    async watch() {
      const add = (target: string, recursive: boolean, accept: (file: string | null) => boolean): void => {
        const w = watch(target, { recursive }, (_event, file) => {
          const name = file === null ? null : String(file);
          if (accept(name)) changed(name);
        });
        w.on('error', (err) => options.log?.warn({ err: err.message, path: target }, 'watching the flows stopped'));
        watchers.push(w);
      };
      for (const path of options.paths) {
        if (!(await stat(path)).isDirectory()) {
          // A single file is watched through its folder: editors replace files (rename), which
          // ends a watch on the file itself.
          add(dirname(path), false, (file) => file === null || file === basename(path));
          continue;
        }
        try {
          // Native on Linux since Node 20, and on macOS and Windows.
          add(path, true, () => true);
        } catch {
          // Elsewhere: each folder on its own (folders created later are not seen until a restart).
          for (const dir of await foldersUnder(path)) add(dir, false, () => true);
        }
      }
    },
    nextReload: () => new Promise((resolve) => waiters.push(resolve)),
    close() {
      if (timer) clearTimeout(timer);
      for (const w of watchers) w.close();
      watchers.length = 0;
    },
  };
}

async function foldersUnder(root: string): Promise<string[]> {
  const out = [root];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') out.push(...(await foldersUnder(join(root, entry.name))));
  }
  return out;
}
