import { parseDuration } from '../flow/duration.js';
import { promptItems } from '../flow/types.js';
import type { FlowCheck } from './check-context.js';
import { nodePrefix } from './check-context.js';
import { promptRefs } from './flow-walk.js';
import { flowLanguage, probeOnce, resolveOnce } from './prompt-audio.js';

/** Callers hang up on very long prompts; over this, validate warns. */
export const LONG_PROMPT_MS = 60_000;

/** A prompt (all its items together) that plays for more than a minute. */
export const longPrompt: FlowCheck = (ctx) => {
  const language = flowLanguage(ctx);
  for (const ref of promptRefs(ctx.doc)) {
    let total = 0;
    for (const item of promptItems(ref.spec)) {
      if (typeof item === 'string') {
        const found = resolveOnce(ctx, item, language);
        const probe = found.ok ? probeOnce(ctx, found.path) : undefined;
        if (probe?.ok) total += probe.durationMs;
      } else if ('silence' in item) total += parseDuration(item.silence) ?? 0;
    }
    if (total > LONG_PROMPT_MS) {
      ctx.report('long-prompt', ref.pointer, `${nodePrefix(ref.node)}this prompt plays for ${(total / 1000).toFixed(1)} s; callers hang up on prompts over ${LONG_PROMPT_MS / 1000} s — split it or shorten it`);
    }
  }
};
