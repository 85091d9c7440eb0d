/** How bad a finding is: errors fail validate (and stop a flow from being served), warnings do not. */
export type Severity = 'error' | 'warning';

/**
 * The one registry of diagnostic codes: code -> severity and a one-line summary.
 * Codes are stable (CI scripts and editors match on them); every code is documented in
 * flows/README.md between the `codes` markers and has a broken-flow fixture in
 * test/fixtures/broken/<code>.yaml — test/diagnostics/codes.test.ts checks both.
 */
export const CODES = {
  // reading and parsing
  'file-unreadable': { severity: 'error', summary: 'The flow file could not be read.' },
  'file-not-regular': { severity: 'error', summary: 'The flow file is not a regular file (a device, pipe or folder), so it is not read.' },
  'file-outside-folder': { severity: 'error', summary: 'The flow file is a link to a file outside the flows folder, so it is not read.' },
  'file-too-large': { severity: 'error', summary: 'The flow file is larger than 1 MiB, or holds more than 100,000 values (an alias counted as what it repeats).' },
  'file-too-deep': { severity: 'error', summary: 'Maps and lists in the flow file are nested more than 64 levels deep.' },
  'yaml-syntax': { severity: 'error', summary: 'The file is not valid YAML.' },
  'duplicate-key': { severity: 'error', summary: 'A key appears twice in the same map.' },
  // schema
  'schema-unknown-key': { severity: 'error', summary: 'A key the flow language does not have (often a typo).' },
  'schema-missing-key': { severity: 'error', summary: 'A required key is missing.' },
  'schema-node-kind': { severity: 'error', summary: 'A node must have exactly one kind key (play, menu, collect, ...).' },
  'schema-invalid-value': { severity: 'error', summary: 'A value has the wrong type or is not one of the allowed values.' },
  'invalid-duration': { severity: 'error', summary: 'A duration is not like 250ms, 5s, 2m, 1h or a number of milliseconds.' },
  'duration-too-long': { severity: 'error', summary: 'A duration is longer than its bound: 24h for maxCallDuration, 1h for every other timeout or pause.' },
  'invalid-dtmf': { severity: 'error', summary: 'A key is not a DTMF key (0-9, *, #, A-D).' },
  'invalid-variable-name': { severity: 'error', summary: 'A variable name is not an identifier, or is a reserved name.' },
  // targets and structure
  'unknown-target': { severity: 'error', summary: 'start, next, an option, a handler or onError names a node that does not exist.' },
  'node-name-clash': { severity: 'error', summary: 'A node name holds / (how the nodes of a subflow are named), or two node names differ only in . against _: the engine would make them one node.' },
  'next-missing': { severity: 'error', summary: 'A play, collect, set, fetch, record or subflow node has no next.' },
  'next-not-allowed': { severity: 'error', summary: 'A menu, branch, end or return node has a next, which would never be used.' },
  'branch-no-default': { severity: 'error', summary: 'A branch has no default case (a case without if).' },
  'branch-default-not-last': { severity: 'error', summary: "A branch's default case is not the last one, so later cases never run." },
  'split-over-100': { severity: 'error', summary: "A split's percents add up to more than 100." },
  'split-rest-not-last': { severity: 'error', summary: "A split's case without percent (the rest) is not the last one." },
  'split-no-rest': { severity: 'error', summary: "A split's percents add up to less than 100 and no case takes the rest." },
  'busy-loop': { severity: 'error', summary: 'A cycle of nodes that never waits for the caller would loop forever.' },
  'unreachable-node': { severity: 'warning', summary: 'No path from the start reaches this node.' },
  // prompts
  'unknown-prompt': { severity: 'error', summary: 'A prompt name resolves to no audio file.' },
  'prompt-file-missing': { severity: 'error', summary: "A prompts: entry's file does not exist." },
  'prompt-file-unsupported': { severity: 'error', summary: 'A prompt file is unreadable or not mono PCM 16-bit, mu-law or A-law WAV.' },
  'long-prompt': { severity: 'warning', summary: 'A prompt plays for more than 60 seconds.' },
  'prompt-language-missing': { severity: 'error', summary: 'A prompt the flow uses has no audio file and no text in one of its declared languages.' },
  // expressions and variables
  'expr-syntax': { severity: 'error', summary: 'A CEL expression does not parse.' },
  'expr-type': { severity: 'error', summary: 'A CEL expression cannot type-check (e.g. adds a string to a number).' },
  'expr-too-costly': { severity: 'error', summary: 'A CEL expression could take more evaluation steps than its budget (nested map/filter over lists).' },
  'template-syntax': { severity: 'error', summary: 'A {{ }} template is not closed or is empty.' },
  'undeclared-variable': { severity: 'error', summary: 'An expression uses a name that is not a declared variable.' },
  'name-out-of-scope': { severity: 'error', summary: 'input, response or another context name is used where it does not exist.' },
  'undeclared-assignment': { severity: 'error', summary: 'set, collect.into, record.into or subflow output assigns a variable not declared in vars.' },
  'type-mismatch': { severity: 'error', summary: "An assignment's value cannot be stored in its variable's declared type (a number into a string, a double into an int)." },
  'invalid-regex': { severity: 'error', summary: 'A pattern is not a valid regular expression.' },
  'prompt-and-prompts': { severity: 'error', summary: 'A noInput/noMatch handler has both prompt and prompts (escalating); keep one.' },
  'regex-unsupported': { severity: 'error', summary: 'A pattern uses what RE2 cannot run in linear time (backreferences, lookaround).' },
  'min-greater-than-max': { severity: 'error', summary: "A collect's min is greater than its max." },
  // keys
  'number-key': { severity: 'error', summary: 'An unquoted option or global key YAML reads as a number (007 -> 7, 1.0 -> 1).' },
  'commented-key': { severity: 'warning', summary: 'A line whose key starts with # is a YAML comment, so that option vanishes.' },
  'shadowed-global-key': { severity: 'warning', summary: "A menu option uses a global key; the menu's option wins there." },
  'global-key-in-collect': { severity: 'warning', summary: 'A global key is also a digit a collect accepts, so it can never be the first digit.' },
  'option-prefix': { severity: 'warning', summary: 'A multi-digit option key starts with another option key.' },
  'option-too-long': { severity: 'warning', summary: "A menu option has more keys than the menu's maxDigits, so it can never be chosen." },
  // across flows
  'unknown-subflow': { severity: 'error', summary: 'A subflow node names a flow that was not found.' },
  'recursive-subflow': { severity: 'error', summary: 'Subflows call each other in a cycle.' },
  'subflow-too-deep': { severity: 'error', summary: 'Subflows calling subflows nest more levels below a flow than a machine can be built for.' },
  'subflow-language': { severity: 'warning', summary: "A subflow does not speak one of its caller's languages, so those callers hear it in its default language." },
  'duplicate-flow-id': { severity: 'error', summary: 'Two flows have the same id.' },
  // serving
  'flow-too-large': { severity: 'error', summary: "A flow's machine has more states (subflows inlined) than --max-flow-states allows, so ivr serve refuses it." },
} as const satisfies Record<string, { severity: Severity; summary: string }>;

/** A code of the front end's registry. */
export type FlowCode = keyof typeof CODES;

/**
 * What a Diagnostic's `code` holds. Kept a string so other stages (flow tests, compile) may add
 * their own; add them to CODES above so they are documented and tested.
 */
export type DiagnosticCode = string;

export function severityOf(code: FlowCode): Severity {
  return CODES[code].severity;
}
