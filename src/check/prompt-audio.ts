import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolvePrompt } from '../audio/resolve-prompt.js';
import type { PromptResolution } from '../audio/resolve-prompt.js';
import { probeWav } from '../audio/wav.js';
import type { WavProbe } from '../audio/wav.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { DEFAULTS } from '../flow/defaults.js';
import { promptItems } from '../flow/types.js';
import { pointerOf } from '../parse/flow-source.js';
import type { CheckContext, FlowCheck } from './check-context.js';
import { nodePrefix } from './check-context.js';
import { promptItemPointers, promptRefs } from './flow-walk.js';

/**
 * Every prompt name resolves to a WAV the engine can play (flow-language.md, "Prompt items").
 * A `prompts:` entry is checked once, at the entry; a name without an entry at each use.
 */
export const promptAudio: FlowCheck = (ctx) => {
  const language = flowLanguage(ctx);
  for (const name of Object.keys(ctx.doc.prompts ?? {})) {
    const pointer = pointerOf('prompts', name, 'file');
    const found = resolveOnce(ctx, name, language);
    if (!found.ok) {
      ctx.report('prompt-file-missing', pointer, `prompt \`${name}\`: ${found.reason}`);
    } else if (!existsSync(found.path)) {
      ctx.report('prompt-file-missing', pointer, `prompt \`${name}\`: file \`${ctx.doc.prompts![name]!.file}\` not found (looked for ${relative(ctx.dir, found.path)})`);
    } else {
      const probe = probeOnce(ctx, found.path);
      if (!probe.ok) ctx.report('prompt-file-unsupported', pointer, `prompt \`${name}\`: \`${ctx.doc.prompts![name]!.file}\` cannot be played: ${probe.reason}`);
    }
  }

  let spoken: { node: string | undefined; pointer: string } | undefined;
  for (const ref of promptRefs(ctx.doc)) {
    promptItems(ref.spec).forEach((item, i) => {
      const pointer = promptItemPointers(ref)[i]!;
      if (typeof item !== 'string') {
        if ('digits' in item || 'number' in item) spoken ??= { node: ref.node, pointer };
        return;
      }
      if (ctx.doc.prompts !== undefined && Object.hasOwn(ctx.doc.prompts, item)) return;
      const found = resolveOnce(ctx, item, language);
      if (!found.ok) {
        ctx.report('unknown-prompt', pointer, `${nodePrefix(ref.node)}prompt \`${item}\` has ${found.reason}${didYouMean(item, knownPromptNames(ctx, language))}`);
        return;
      }
      const probe = probeOnce(ctx, found.path);
      if (!probe.ok) ctx.report('prompt-file-unsupported', pointer, `${nodePrefix(ref.node)}prompt \`${item}\` (${shown(ctx, found.path)}) cannot be played: ${probe.reason}`);
    });
  }
  // Digits and numbers are spoken with the system set: say so once if it is missing for this language.
  if (spoken !== undefined) {
    const found = resolveOnce(ctx, 'digit-0', language);
    if (!found.ok) ctx.report('unknown-prompt', spoken.pointer, `${nodePrefix(spoken.node)}digits and numbers need the system prompts (digit-0 ...) for language \`${language}\`: ${found.reason}`);
    else probeOnce(ctx, found.path);
  }
};

/** A prompt file as the author knows it: relative to the flow's folder when inside it. */
function shown(ctx: CheckContext, path: string): string {
  const rel = relative(ctx.dir, path);
  return rel.startsWith('..') ? path : rel;
}

export function flowLanguage(ctx: CheckContext): string {
  return ctx.doc.settings?.language ?? DEFAULTS.language;
}

/**
 * `resolvePrompt`, memoised for the load: the answer depends only on the folder, the language,
 * the name and the flow's `prompts:` entry for it (file lookups are most of validate's time).
 */
export function resolveOnce(ctx: CheckContext, name: string, language: string): PromptResolution {
  const entry = ctx.doc.prompts !== undefined && Object.hasOwn(ctx.doc.prompts, name) ? ctx.doc.prompts[name]!.file : '';
  const key = `${ctx.dir}\0${language}\0${name}\0${entry}`;
  let found = ctx.resolveCache.get(key);
  if (found === undefined) {
    found = resolvePrompt({ dir: ctx.dir, doc: ctx.doc }, name, language);
    ctx.resolveCache.set(key, found);
  }
  return found;
}

/** Probes each file once per load; the cache also lists the audio the flow's version hashes. */
export function probeOnce(ctx: CheckContext, path: string): WavProbe {
  let probe = ctx.audio.get(path) ?? ctx.probeCache.get(path);
  if (probe === undefined) {
    probe = probeWav(path);
    ctx.probeCache.set(path, probe);
  }
  ctx.audio.set(path, probe);
  return probe;
}

function knownPromptNames(ctx: CheckContext, language: string): string[] {
  const names = new Set(Object.keys(ctx.doc.prompts ?? {}));
  for (const dir of [join(ctx.dir, 'prompts', language), join(ctx.dir, 'prompts')]) {
    try {
      for (const f of readdirSync(dir)) if (f.endsWith('.wav')) names.add(f.slice(0, -4));
    } catch {
      // no such folder
    }
  }
  return [...names];
}
