import type { Diagnostic, Result } from '../diagnostics/diagnostic.js';
import { diagnosticAtOffset } from './diagnostic-at.js';
import { readSource } from './flow-source.js';
import { explainYamlErrors, plainYamlMessage } from './yaml-mistakes.js';
import type { FlowSource } from './flow-source.js';

/**
 * Step 1 of the front end: YAML text -> a FlowSource with positions. YAML errors become
 * diagnostics at their position (`yaml-syntax`, or `duplicate-key` for a key given twice);
 * `value` is undefined when the text is not usable YAML.
 */
export function parseFlow(file: string, text: string): Result<FlowSource> {
  const source = readSource(file, text);
  const diagnostics: Diagnostic[] = source.yaml.errors
    .filter((err) => err.code === 'DUPLICATE_KEY')
    .map((err) => diagnosticAtOffset(source, 'duplicate-key', err.pos[0], duplicateKeyMessage(text, err.pos[0]), { end: err.pos[1] }));
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
  return { value: diagnostics.length === 0 ? source : undefined, diagnostics };
}

function duplicateKeyMessage(text: string, offset: number): string {
  const key = /^["']?([^"':\n]*)/.exec(text.slice(offset))?.[1]?.trim() ?? '';
  return `key \`${key}\` appears twice in the same map; the second would silently replace the first`;
}
