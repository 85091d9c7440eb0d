import { isMap } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { diagnosticAtOffset } from './diagnostic-at.js';
import { readSource } from './flow-source.js';
import { FLOW_FILE_LIMITS } from './read-flow-file.js';
import { MAX_SAME_MISTAKES, explainYamlErrors, moreOfCode, plainYamlMessage } from './yaml-mistakes.js';
import type { FlowSource } from './flow-source.js';

/**
 * Step 1 of the front end: YAML text -> a FlowSource with positions. YAML errors become
 * diagnostics at their position (`yaml-syntax`, or `duplicate-key` for a key given twice);
 * `value` is undefined when the text is not usable YAML.
 */
export function parseFlow(file: string, text: string): Result<FlowSource> & { readsAsFlow: boolean } {
  const source = readSource(file, text);
  const diagnostics: Diagnostic[] = yamlProblems(source, text)
    .map((p) => diagnosticAtOffset(source, p.code, p.offset, p.message, p.end !== undefined ? { end: p.end } : {}));
  if (source.tooDeep !== undefined) return { value: undefined, diagnostics, readsAsFlow: false };
  return { value: diagnostics.length === 0 ? source : undefined, diagnostics, readsAsFlow: readsAsFlow(source) };
}

/** One thing wrong with a text as YAML: where, and what to tell its author. */
export interface YamlProblem {
  code: 'file-too-deep' | 'file-too-large' | 'duplicate-key' | 'yaml-syntax';
  offset: number;
  end?: number;
  message: string;
}

/**
 * What is wrong with `source` as YAML, by the rules every file of the flows folder is read with
 * (flows and their test files, testing/load-tests.ts): nested too deep (then nothing else is
 * said), keys given twice (duplicate-keys.ts words the message from the key), syntax errors as
 * yaml-mistakes.ts explains them, yaml's warnings (an unknown tag makes the document mean
 * something else than it looks: an error), an alias to no anchor.
 */
export function yamlProblems(source: FlowSource, text: string): YamlProblem[] {
  if (source.tooDeep !== undefined) {
    const message = `maps and lists are nested more than ${FLOW_FILE_LIMITS.maxDepth} levels deep here, the most a file in the flows folder may nest; nothing deeper is read`;
    return [{ code: 'file-too-deep', offset: source.tooDeep.offset, message }];
  }
  if (source.tooManyValues !== undefined) {
    const { aliases, endless } = source.tooManyValues;
    const where = aliases ? ', counting what each alias repeats (from this one on) every time it is used' : '';
    const message = endless
      ? 'an alias inside what it names makes data that holds itself, endless; nothing of the file is checked further'
      : `the file holds more than ${FLOW_FILE_LIMITS.maxValues} values${where}, the most a file in the flows folder may hold; nothing of it is checked further`;
    return [{ code: 'file-too-large', offset: source.tooManyValues.offset, message }];
  }
  const problems: YamlProblem[] = source.yaml.errors
    .filter((err) => err.code === 'DUPLICATE_KEY')
    .map((err) => ({ code: 'duplicate-key', offset: err.pos[0], end: err.pos[1], message: err.message }));
  for (const mistake of explainYamlErrors(text, source.yaml.errors)) problems.push({ code: 'yaml-syntax', ...mistake });
  // yaml's warnings (3,000 unknown tags were 3,000 lines): at most MAX_SAME_MISTAKES, the last counting the rest.
  const warnings = source.yaml.warnings;
  for (const warning of warnings.slice(0, MAX_SAME_MISTAKES)) {
    problems.push({ code: 'yaml-syntax', offset: warning.pos[0], end: warning.pos[1], message: plainYamlMessage(warning.message) });
  }
  if (warnings.length > MAX_SAME_MISTAKES) problems.at(-1)!.message += moreOfCode(warnings.length - MAX_SAME_MISTAKES, 'yaml-syntax');
  if (source.dataError !== undefined) problems.push({ code: 'yaml-syntax', offset: source.dataError.offset, message: plainYamlMessage(source.dataError.message) });
  return problems;
}

/**
 * Whether the text reads as a flow: its top level is a map with an `ivr` key (even when some of
 * it is broken). Only then may diagnostics quote it: any other file (a link to the process
 * environment, a secrets file dropped in the folder) is reported by code and position alone.
 */
function readsAsFlow(source: FlowSource): boolean {
  const top = source.yaml.contents;
  return isMap(top) && top.has('ivr');
}
