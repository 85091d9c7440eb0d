/**
 * Hot reload: watch the flows folder (watch-flows.ts, with a periodic rescan as the backstop:
 * flows-fingerprint.ts), and after a quiet moment (`debounceMs`, editors save in several writes)
 * load, check, compile and convert everything again (`ivr serve` does it in a worker thread with
 * a time and memory budget: reload-thread.ts). A set without errors becomes
 * `current()`, which the server asks at each call's start: new calls get the new versions, calls in
 * progress keep the compiled flow and prompts they started with. A set with errors is refused: the
 * previous one keeps serving, the diagnostics are printed as `ivr validate` prints them, counted in
 * metrics and shown by `/readyz` until a good edit comes.
 *
 *   const reloader = createFlowReloader(serving, { paths: ['flows/'], log, report: (t) => process.stderr.write(t) });
 *   await reloader.watch();
 *   createServer({ ..., flows: () => reloader.current() });
 */
import { basename } from 'node:path';
import type { CallLog } from '../call/call-log.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { countBySeverity } from '../diagnostics/report.js';
import { renderText } from '../diagnostics/render-text.js';
import type { ServingFlows } from '../plivo/serving-flows.js';
import { defaultOf } from '../options/option-schema.js';
import { SERVE_OPTIONS } from '../options/serve-options.js';
import { flowsFingerprint } from './flows-fingerprint.js';
import { watchFlows, type FlowsWatcher } from './watch-flows.js';

/**
 * A load of the flows: a value when everything can be served; `failure` when the load itself
 * failed (over its budget, crashed), in words that never quote a file.
 */
export interface LoadResult {
  value: ServingFlows | undefined;
  diagnostics: Diagnostic[];
  flowCount: number;
  failure?: string;
  /** Where the time went (logged with the reload). */
  timing?: object;
}

/** The periodic rescan's default interval (src/options/serve-options.ts): with the debounce and a load, `/readyz` follows a missed change within ~2 s. */
export const RESCAN_DEFAULT_MS = defaultOf(SERVE_OPTIONS, 'rescanMs');

export type LoadServingFlows = (paths: string[]) => Promise<LoadResult>;

export type ReloadOutcome =
  | { ok: true; changed: boolean; serving: ServingFlows; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[]; text: string; reason?: string };

/** What `/readyz` shows about the flows. */
export interface ReloadStatus {
  ok: boolean;
  loadedAt: number;
  versions: Record<string, string>;
  /** The last refused reload, until a later one succeeds. */
  failed?: { at: number; errors: number; warnings: number; diagnostics: Diagnostic[]; reason?: string };
}

export interface FlowReloaderOptions {
  paths: string[];
  /** Default: `loadServingFlows` of src/plivo/serving-flows.ts. */
  load?: LoadServingFlows;
  /** Quiet time after the last change before reloading; default 250 ms. */
  debounceMs?: number;
  /** How often the folder is rescanned for changes the watcher missed; default 1000 ms, 0 = never. */
  rescanMs?: number;
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
  /** Starts watching `paths` (and the periodic rescan); changes trigger a debounced reload. */
  watch(): Promise<void>;
  /** Resolves with the outcome of the next reload that finishes. */
  nextReload(): Promise<ReloadOutcome>;
  close(): Promise<void>;
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
  const rescanMs = options.rescanMs ?? RESCAN_DEFAULT_MS;
  const cwd = options.cwd ?? process.cwd();
  let serving = initial;
  let failed: ReloadStatus['failed'];
  let running: Promise<ReloadOutcome> | undefined;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  let waiters: ((o: ReloadOutcome) => void)[] = [];
  let watcher: FlowsWatcher | undefined;
  let rescanTimer: NodeJS.Timeout | undefined;
  /** The folder as the latest load (or the start of watching) saw it. */
  let loadedFingerprint: string | undefined;
  const fingerprint = (): Promise<string> => flowsFingerprint(options.paths, affectsServing);

  const loader = async (paths: string[]): ReturnType<LoadServingFlows> => {
    if (options.load) return options.load(paths);
    const { loadServingFlows } = await import('../plivo/serving-flows.js');
    return loadServingFlows(paths);
  };

  async function loadOnce(): Promise<ReloadOutcome> {
    let outcome: ReloadOutcome;
    try {
      // Taken before reading: a change during the load differs from it, so the rescan catches it.
      if (watcher !== undefined) loadedFingerprint = await fingerprint();
      const loaded = await loader(options.paths);
      if (loaded.failure !== undefined) throw new ReloadFailure(loaded.failure);
      if (loaded.timing !== undefined) options.log?.info({ timing: loaded.timing }, 'flows loaded off the serving thread');
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
      // Over budget, or a bug in the front end: it must not stop the server; keep serving, say why.
      const reason = err instanceof ReloadFailure ? err.message : `the reload failed (${err instanceof Error ? err.name : typeof err})`;
      outcome = { ok: false, diagnostics: [], text: `reload refused: ${reason}\n`, reason };
    }
    if (outcome.ok) {
      failed = undefined;
      if (outcome.changed) {
        options.log?.info({ versions: versionsOf(serving) }, 'flows reloaded: new calls use the new versions');
        options.onLoaded?.(serving);
      }
    } else {
      const counts = countBySeverity(outcome.diagnostics);
      failed = { at: Date.now(), ...counts, diagnostics: outcome.diagnostics, ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}) };
      options.log?.error({ errors: counts.errors, warnings: counts.warnings, ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}) }, 'reload refused: the previous flows keep serving');
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

  /** The backstop: a change no event announced is found by comparing the folder with the last load. */
  async function rescan(): Promise<void> {
    if (running || timer || watcher === undefined) return;
    const now = await fingerprint();
    if (running || timer || watcher === undefined || now === loadedFingerprint) return;
    options.log?.info({}, 'rescan: the flows folder changed without a file event; reloading');
    void reload();
  }

  function scheduleRescan(): void {
    if (rescanMs <= 0 || watcher === undefined) return;
    rescanTimer = setTimeout(() => {
      void rescan().finally(scheduleRescan);
    }, rescanMs);
    rescanTimer.unref();
  }

  return {
    current: () => serving,
    status: () => ({ ok: failed === undefined, loadedAt: serving.loadedAt, versions: versionsOf(serving), ...(failed ? { failed } : {}) }),
    reload,
    async watch() {
      if (watcher !== undefined) return;
      loadedFingerprint = await fingerprint();
      watcher = await watchFlows(options.paths, changed, affectsServing, options.log);
      await watcher.ready;
      scheduleRescan();
    },
    nextReload: () => new Promise((resolve) => waiters.push(resolve)),
    async close() {
      if (timer) clearTimeout(timer);
      if (rescanTimer) clearTimeout(rescanTimer);
      const w = watcher;
      watcher = undefined;
      await w?.close();
    },
  };
}

/** A load that failed as a whole (over budget, crashed); its message is safe to show. */
class ReloadFailure extends Error {}
