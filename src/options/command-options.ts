/**
 * The options of every command but `serve` (src/options/serve-options.ts has those): one entry
 * each, in the schema of src/options/option-schema.ts. The command table (src/cli/main.ts) makes
 * the commander flags and `--help` from them and reads every value before the command is loaded,
 * so a bad value is a usage error (exit 2, one line naming the option, what it accepts and the
 * value) before any file is opened; the command receives the values typed. README's "Commands"
 * table names each flag (test/docs/command-options.test.ts checks that it does).
 *
 * To add an option: add its entry here, then use `options.<key>` in the command (tsc sees its type).
 */
import { CALL_ID_MAX_LENGTH } from '../flow/call-info.js';
import type { ChoiceSpec, OptionSpec } from './option-schema.js';
import { MAX_FLOW_STATES } from './serve-options.js';

/** `--format`: how a command's result is printed; each command lists the renderers it has. */
function format<const C extends readonly [string, ...string[]]>(choices: C, doc: string): ChoiceSpec<C[number]> & { key: 'format'; default: C[0] } {
  return { key: 'format', flag: '--format <format>', kind: 'choice', choices, default: choices[0], doc };
}

/** A call id as Plivo's are: printable ASCII without spaces, and short. */
const CALL_ID = new RegExp(`^[\\x21-\\x7e]{1,${CALL_ID_MAX_LENGTH}}$`);

export const VALIDATE_OPTIONS = [
  format(['text', 'json', 'github'], 'output: text, json or github (workflow annotations)'),
  { key: 'strict', flag: '--strict', kind: 'flag', doc: 'warnings fail too (exit 1)' },
  // The server's own entry: the same bound, default and check as `ivr serve --max-flow-states`.
  MAX_FLOW_STATES,
] as const satisfies readonly OptionSpec[];

export const COMPILE_OPTIONS = [format(['json', 'text'], 'output: json or text')] as const satisfies readonly OptionSpec[];

export const TEST_OPTIONS = [
  { key: 'coverage', flag: '--coverage', kind: 'flag', doc: 'report nodes, options and handlers no case reached' },
  { key: 'minCoverage', flag: '--min-coverage <percent>', kind: 'number', min: 0, max: 100, unit: '%', doc: 'fail below this coverage' },
  format(['text', 'json', 'github'], 'output: text, json or github (failures as workflow annotations)'),
  { key: 'generate', flag: '--generate [flow]', kind: 'list', doc: 'write a starter <flow>.test.yaml beside a flow' },
  { key: 'force', flag: '--force', kind: 'flag', doc: 'with --generate: overwrite an existing test file' },
] as const satisfies readonly OptionSpec[];

export const CALL_OPTIONS = [
  { key: 'flow', flag: '--flow <id>', kind: 'text', doc: 'the flow to call when the path is a folder (default: its main flow, else the only one)' },
  { key: 'fast', flag: '--fast', kind: 'flag', doc: 'prompts count as played as soon as they are sent; timeouts still run in real time, so there is time to type' },
  {
    key: 'url',
    flag: '--url <url>',
    kind: 'text',
    check: (text: string) => (/^wss?:\/\//.test(text) ? undefined : 'must be a ws:// or wss:// URL'),
    doc: 'call a running server instead (ws://host:port/stream/<flow>), behaving as Plivo does',
  },
  { key: 'flows', flag: '--flows <dir>', kind: 'text', doc: 'with --url: name prompts by matching their audio against these flows' },
  {
    key: 'callId',
    flag: '--call-id <id>',
    kind: 'text',
    check: (text: string) => (CALL_ID.test(text) ? undefined : `must be 1 to ${CALL_ID_MAX_LENGTH} printable characters without spaces`),
    doc: "the call's id (default: generated); a split node routes by it, so the same id takes the same branch",
  },
] as const satisfies readonly OptionSpec[];

export const GRAPH_OPTIONS = [
  format(['mermaid', 'dot'], 'mermaid or dot'),
  { key: 'coverage', flag: '--coverage [tests...]', kind: 'list', doc: "run these flow tests (default: the flows' folders) and draw what they never reach dashed red" },
  { key: 'heat', flag: '--heat <records>', kind: 'text', doc: 'call records (file or glob, as ivr report reads them): traffic on every edge, drop-off on every node' },
] as const satisfies readonly OptionSpec[];

export const REPLAY_OPTIONS = [
  { key: 'call', flag: '--call <ids...>', kind: 'list', doc: 'only these calls' },
  { key: 'flow', flag: '--flow <path>', kind: 'text', default: 'flows/', doc: 'the flow file or folder to replay against' },
  format(['text', 'json'], 'output: text or json'),
] as const satisfies readonly OptionSpec[];

export const REPORT_OPTIONS = [
  { key: 'flow', flag: '--flow <id>', kind: 'text', doc: 'only this flow' },
  { key: 'since', flag: '--since <time>', kind: 'time', doc: 'only calls that started at or after this date (2026-12-01, UTC) or ISO 8601 time with its offset' },
  { key: 'until', flag: '--until <time>', kind: 'time', doc: 'only calls that started before this date or time' },
  { key: 'by', flag: '--by <group>', kind: 'choice', choices: ['version', 'day'], doc: 'one set of figures per flow and version (or UTC day), side by side' },
  format(['text', 'json', 'html'], 'output: text, json or html (one self-contained page)'),
] as const satisfies readonly OptionSpec[];
