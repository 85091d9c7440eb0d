import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { loadFlows } from '../../src/pipeline/load-flows.js';
import type { FlowSet } from '../../src/flow/loaded-flow.js';
import { tempDir } from '../support/temp-dir.js';

/** A short valid mono WAV (50 ms) from the broken-flow corpus, for flows that play `hello`. */
export const HELLO_WAV = resolve('test/fixtures/broken/prompts/hello.wav');

/**
 * Writes files into a fresh temporary folder (`name -> text`; a `.wav` value is a path to copy)
 * and returns the folder.
 */
export function flowDir(files: Record<string, string>): string {
  const dir = tempDir('ivr-check-');
  for (const [name, content] of Object.entries(files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    if (name.endsWith('.wav')) copyFileSync(content, path);
    else writeFileSync(path, content);
  }
  return dir;
}

/** Loads one flow text (with `prompts/hello.wav` beside it) and returns `code line:col` of each diagnostic. */
export async function findings(text: string, extra: Record<string, string> = {}): Promise<string[]> {
  return (await diagnostics(text, extra)).map((d) => `${d.code} ${d.line}:${d.col}`);
}

export async function diagnostics(text: string, extra: Record<string, string> = {}): Promise<Diagnostic[]> {
  const set = await loadSet({ 'flow.yaml': text, 'prompts/hello.wav': HELLO_WAV, ...extra }, ['flow.yaml']);
  return allDiagnostics(set);
}

export async function loadSet(files: Record<string, string>, paths: string[]): Promise<FlowSet> {
  const dir = flowDir(files);
  return loadFlows(paths.map((p) => join(dir, p)));
}

export function allDiagnostics(set: FlowSet): Diagnostic[] {
  return [...set.diagnostics, ...[...set.flows.values()].flatMap((f) => f.diagnostics)];
}
