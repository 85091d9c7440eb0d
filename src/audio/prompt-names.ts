import type { CollectSpec, FlowDoc, FlowNode, MenuSpec, PromptSpec } from '../flow/types.js';
import { DEFAULTS } from '../flow/defaults.js';

/**
 * Every place a flow plays audio: each prompt name with the JSON pointer of its first use, and
 * whether the flow speaks digits/numbers or records with a beep (both need the system set).
 */
export interface PromptUses {
  /** Prompt name -> JSON pointer of the first item that plays it. */
  names: Map<string, string>;
  /** Pointer of the first `{ digits }` or `{ number }` item, if any. */
  speaks?: string;
  /** Pointer of the first `record` node that plays a beep, if any. */
  beeps?: string;
}

/**
 * Walks the prompt-carrying keys of every node: `play`, menu/collect `prompt`, `reprompt` and
 * handler prompts, and the `prompt` of fetch, transfer, record and end.
 *
 * @example
 *   promptUsesOf(doc).names  // Map { 'welcome' => '/nodes/greet/play', 'main_menu' => '/nodes/main_menu/menu/prompt' }
 */
export function promptUsesOf(doc: FlowDoc): PromptUses {
  const uses: PromptUses = { names: new Map() };
  for (const [nodeName, node] of Object.entries(doc.nodes ?? {})) {
    // A flow with schema errors is still read for its prompts (`ivr test` of a folder): `nodes: [1, 2]` has no node to look into.
    if (node === null || typeof node !== 'object') continue;
    const base = `/nodes/${escapePointer(nodeName)}`;
    for (const [path, spec] of promptSpecsOf(node)) collect(uses, `${base}/${path}`, spec);
    if ('record' in node && (node.record?.beep ?? DEFAULTS.recordBeep) && uses.beeps === undefined) {
      uses.beeps = `${base}/record`;
    }
  }
  return uses;
}

function promptSpecsOf(node: FlowNode): Array<[string, PromptSpec | undefined]> {
  if ('play' in node) return [['play', node.play]];
  if ('menu' in node) return askingPrompts('menu', node.menu);
  if ('collect' in node) return askingPrompts('collect', node.collect);
  if ('fetch' in node) return [['fetch/prompt', node.fetch.prompt]];
  if ('transfer' in node) return [['transfer/prompt', node.transfer.prompt]];
  if ('record' in node) return [['record/prompt', node.record?.prompt]];
  if ('end' in node) return [['end/prompt', node.end?.prompt]];
  return [];
}

function askingPrompts(kind: string, spec: MenuSpec | CollectSpec): Array<[string, PromptSpec | undefined]> {
  return [
    [`${kind}/prompt`, spec.prompt],
    [`${kind}/reprompt`, spec.reprompt],
    [`${kind}/noInput/prompt`, spec.noInput?.prompt],
    [`${kind}/noMatch/prompt`, spec.noMatch?.prompt],
  ];
}

function collect(uses: PromptUses, pointer: string, spec: PromptSpec | undefined): void {
  if (spec === undefined || spec === null) return;
  const items = Array.isArray(spec) ? spec : [spec];
  items.forEach((item, i) => {
    const at = Array.isArray(spec) ? `${pointer}/${i}` : pointer;
    if (typeof item === 'string') {
      if (!uses.names.has(item)) uses.names.set(item, at);
    } else if (item !== null && typeof item === 'object' && ('digits' in item || 'number' in item)) {
      uses.speaks ??= at;
    }
  });
}

/** RFC 6901: `~` -> `~0`, `/` -> `~1`. */
function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}
