import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { resolvePrompt } from '../audio/resolve-prompt.js';
import type { PromptResolution } from '../audio/resolve-prompt.js';
import { probeWav } from '../audio/wav.js';
import type { WavProbe } from '../audio/wav.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { systemPromptText } from '../audio/system-set.js';
import { defaultLanguage, fileInLanguage, flowLanguages, promptText } from '../flow/languages.js';
import { promptItems } from '../flow/types.js';
import { pointerOf } from '../parse/flow-source.js';
import type { CheckContext, FlowCheck } from './check-context.js';
import { nodePrefix } from './check-context.js';
import { promptItemPointers, promptRefs } from './flow-walk.js';

/**
 * Every prompt name resolves to a WAV the engine can play, or to words it can synthesize, in
 * every language the flow declares (flow-language.md, "Prompt items" and v1.1 "Per-call
 * language"). A `prompts:` entry is checked once per language, at the entry; a name without an
 * entry at each use. In the default language a name with nothing is `unknown-prompt`; in another
 * declared language it is `prompt-language-missing`.
 */
export const promptAudio: FlowCheck = (ctx) => {
  const languages = flowLanguages(ctx.doc);
  const main = languages[0]!;
  for (const [name, def] of Object.entries(ctx.doc.prompts ?? {})) {
    for (const language of languages) {
      // A file without {language} is the same file in every language: checked once.
      if (def.file !== undefined && language !== main && !def.file.includes('{language}')) continue;
      checkEntry(ctx, name, language, language === main);
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
      for (const language of languages) {
        const found = resolveOnce(ctx, item, language);
        if (!found.ok) {
          if (language === main) ctx.report('unknown-prompt', pointer, () => `${nodePrefix(ref.node)}prompt \`${item}\` has ${found.reason}${didYouMean(item, knownPromptNames(ctx, language))}`);
          else ctx.report('prompt-language-missing', pointer, `${nodePrefix(ref.node)}prompt \`${item}\` cannot be played in \`${language}\`: ${found.reason}`);
          continue;
        }
        const probe = probeOnce(ctx, found.path);
        if (!probe.ok) ctx.report('prompt-file-unsupported', pointer, `${nodePrefix(ref.node)}prompt \`${item}\` (${shown(ctx, found.path)}) cannot be played: ${probe.reason}`);
      }
    });
  }
  // Digits and numbers are spoken with the system set: say so once per language that lacks it.
  if (spoken !== undefined) {
    for (const language of languages) {
      const found = resolveOnce(ctx, 'digit-0', language);
      if (found.ok) probeOnce(ctx, found.path);
      else if (systemPromptText('digit-0', language) === undefined) {
        ctx.report('unknown-prompt', spoken.pointer, `${nodePrefix(spoken.node)}digits and numbers need the system prompts (digit-0 ...) for language \`${language}\`: ${found.reason}`);
      }
    }
  }
};

/** One `prompts:` entry in one language: its file plays, or it is found by name, or it has words to synthesize. */
function checkEntry(ctx: CheckContext, name: string, language: string, isDefault: boolean): void {
  const def = ctx.doc.prompts![name]!;
  const found = resolveOnce(ctx, name, language);
  if (def.file === undefined) {
    if (found.ok) {
      const probe = probeOnce(ctx, found.path);
      if (!probe.ok) ctx.report('prompt-file-unsupported', pointerOf('prompts', name), `prompt \`${name}\` (${shown(ctx, found.path)}) cannot be played: ${probe.reason}`);
    } else if (found.refused) {
      // Its text is not spoken instead: the author put a file there, and should learn why it is not played.
      ctx.report('prompt-file-unsupported', pointerOf('prompts', name), `prompt \`${name}\` cannot be played: ${found.reason}`);
    } else if (promptText(ctx.doc, name, language) === undefined) {
      const why = typeof def.text === 'string' ? `its text is in \`${flowLanguages(ctx.doc)[0]}\` only` : `\`text\` has no \`${language}\` entry`;
      ctx.report('prompt-language-missing', pointerOf('prompts', name, 'text'), `prompt \`${name}\` cannot be played in \`${language}\`: no audio file and ${why} (add \`text: { ${language}: "..." }\` or prompts/${language}/${name}.wav)`);
    }
    return;
  }
  const pointer = pointerOf('prompts', name, 'file');
  const where = isDefault ? '' : ` in \`${language}\``;
  if (!found.ok) {
    ctx.report('prompt-file-missing', pointer, `prompt \`${name}\`${where}: ${found.reason}`);
  } else if (!existsSync(found.path)) {
    ctx.report('prompt-file-missing', pointer, `prompt \`${name}\`${where}: file \`${fileInLanguage(def.file, language)}\` not found (looked for ${relative(ctx.dir, found.path)})`);
  } else {
    const probe = probeOnce(ctx, found.path);
    if (!probe.ok) ctx.report('prompt-file-unsupported', pointer, `prompt \`${name}\`: \`${fileInLanguage(def.file, language)}\` cannot be played: ${probe.reason}`);
  }
}

/** A prompt file as the author knows it: relative to the flow's folder when inside it. */
function shown(ctx: CheckContext, path: string): string {
  const rel = relative(ctx.dir, path);
  return rel.startsWith('..') ? path : rel;
}

export function flowLanguage(ctx: CheckContext): string {
  return defaultLanguage(ctx.doc);
}

/**
 * `resolvePrompt`, memoised for the load: the answer depends only on the folder, the language,
 * the name and the flow's `prompts:` entry for it (file lookups are most of validate's time).
 */
export function resolveOnce(ctx: CheckContext, name: string, language: string): PromptResolution {
  const entry = ctx.doc.prompts !== undefined && Object.hasOwn(ctx.doc.prompts, name) ? ctx.doc.prompts[name]!.file ?? '' : '';
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
