import { isMap } from 'yaml';
import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { diagnosticAtOffset } from './diagnostic-at.js';
import { readSource } from './flow-source.js';
import { FLOW_FILE_LIMITS } from './read-flow-file.js';
import { explainYamlErrors, plainYamlMessage } from './yaml-mistakes.js';
import type { FlowSource } from './flow-source.js';

/**
 * Step 1 of the front end: YAML text -> a FlowSource with positions. YAML errors become
 * diagnostics at their position (`yaml-syntax`, or `duplicate-key` for a key given twice);
 * `value` is undefined when the text is not usable YAML.
 */
export function parseFlow(file: string, text: string): Result<FlowSource> & { readsAsFlow: boolean } {
  const source = readSource(file, text);
  if (source.tooDeep !== undefined) {
    const message = `maps and lists are nested more than ${FLOW_FILE_LIMITS.maxDepth} levels deep here, the most a flow file may nest; nothing deeper is read`;
    return { value: undefined, diagnostics: [diagnosticAtOffset(source, 'file-too-deep', source.tooDeep.offset, message)], readsAsFlow: false };
  }
  // duplicate-keys.ts words the message from the key's value.
  const diagnostics: Diagnostic[] = source.yaml.errors
    .filter((err) => err.code === 'DUPLICATE_KEY')
    .map((err) => diagnosticAtOffset(source, 'duplicate-key', err.pos[0], err.message, { end: err.pos[1] }));
  for (const mistake of explainYamlErrors(text, source.yaml.errors)) {
    diagnostics.push(diagnosticAtOffset(source, 'yaml-syntax', mistake.offset, mistake.message, mistake.end !== undefined ? { end: mistake.end } : {}));
  }
  for (const warning of source.yaml.warnings) {
    // yaml's warnings (unknown tags, ...) make the document mean something else than it looks: errors.
    diagnostics.push(diagnosticAtOffset(source, 'yaml-syntax', warning.pos[0], plainYamlMessage(warning.message), { end: warning.pos[1] }));
  }
  if (source.dataError !== undefined) {
    diagnostics.push(diagnosticAtOffset(source, 'yaml-syntax', source.dataError.offset, plainYamlMessage(source.dataError.message)));
  }
  return { value: diagnostics.length === 0 ? source : undefined, diagnostics, readsAsFlow: readsAsFlow(source) };
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
