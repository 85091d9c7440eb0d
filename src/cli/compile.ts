import { existsSync } from 'node:fs';
import { flowMachineConfig } from '../compile/compile-flow.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { renderText } from '../diagnostics/render-text.js';
import { checkFlows, givenFlows } from '../pipeline/check-flows.js';
import type { COMPILE_OPTIONS } from '../options/command-options.js';
import type { OptionValues } from '../options/option-schema.js';
import type { CliIo, CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

export type CompileOptions = OptionValues<typeof COMPILE_OPTIONS>;

/** One flow's machine as `ivr compile` shows it. */
export interface CompiledMachine {
  id: string;
  version: string;
  file: string;
  /** The XState config: plain JSON naming actions, guards and delays (see src/compile/). */
  config: Record<string, unknown>;
}

export interface CompileReport {
  machines: CompiledMachine[];
  /** Diagnostics of flows that have errors (those are not compiled). */
  diagnostics: Diagnostic[];
  flows: number;
}

/**
 * `ivr compile <flow.yaml or folder...>`: prints each flow's state machine config as JSON
 * (`--format text`: an outline of states and transitions). Exit code 1 when a flow has errors
 * (their diagnostics go to stderr), 2 for bad usage.
 *
 * @example ivr compile flows/support.yaml > support.machine.json
 */
export async function run(args: string[], options: CompileOptions, io: Pick<CliIo, 'cwd'> = { cwd: process.cwd() }): Promise<CommandResult> {
  if (args.length === 0) throw new UsageError('compile needs at least one flow file or folder');
  const missing = args.filter((p) => !existsSync(p));
  if (missing.length > 0) throw new UsageError(`no such file or folder: ${missing.join(', ')}`);

  const report = await compilePaths(args);
  return {
    exitCode: report.diagnostics.some((d) => d.severity === 'error') ? 1 : 0,
    stdout: render(report, options.format),
    ...(report.diagnostics.length > 0 ? { stderr: renderText({ flows: report.flows, diagnostics: report.diagnostics }, io.cwd) } : {}),
  };
}

/** Loads the flows under `paths` and builds the machine config of each one given (not of subflows merely called). */
export async function compilePaths(paths: string[]): Promise<CompileReport> {
  const checked = (await checkFlows(paths)).value;
  const { flows, errors } = givenFlows(checked, paths);
  const machines = flows
    .filter((flow) => !hasErrors(flow.diagnostics))
    .map((flow): CompiledMachine => ({ id: flow.id, version: flow.version, file: flow.file, config: flowMachineConfig(flow, checked.set).config }));
  return { machines: machines.sort((a, b) => a.id.localeCompare(b.id)), diagnostics: errors, flows: checked.files };
}

function render(report: CompileReport, format: CompileOptions['format']): string {
  if (format === 'json') {
    const only = report.machines.length === 1 ? report.machines[0] : undefined;
    const data = only ? only.config : Object.fromEntries(report.machines.map((m) => [m.id, m.config]));
    return `${JSON.stringify(data, null, 2)}\n`;
  }
  return report.machines.map((m) => `${m.id} (${m.version})\n${outline(m.config, 0)}`).join('\n');
}

/** An indented outline: each state, the events it handles and where they lead. */
function outline(state: Record<string, unknown>, depth: number): string {
  const pad = '  '.repeat(depth);
  let out = '';
  const transitions = (label: string, value: unknown) => {
    for (const t of [value].flat() as Record<string, unknown>[]) {
      const guard = t.guard === undefined ? '' : ` [${guardText(t.guard)}]`;
      const target = typeof t.target === 'string' ? ` -> ${t.target}` : '';
      out += `${pad}· ${label}${guard}${target}\n`;
    }
  };
  for (const [event, value] of Object.entries((state.on ?? {}) as Record<string, unknown>)) transitions(`on ${event}`, value);
  for (const [delay, value] of Object.entries((state.after ?? {}) as Record<string, unknown>)) transitions(`after ${delay}`, value);
  if (state.always !== undefined) transitions('always', state.always);
  for (const [key, child] of Object.entries((state.states ?? {}) as Record<string, Record<string, unknown>>)) {
    out += `${pad}${key}${child.id ? ` #${String(child.id)}` : ''}${child.type === 'final' ? ' (final)' : ''}\n`;
    out += outline(child, depth + 1);
  }
  return out;
}

function guardText(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  const { type, params } = guard as { type: string; params?: Record<string, unknown> };
  return `${type}${params ? ` ${Object.entries(params).map(([k, v]) => `${k}=${String(v)}`).join(' ')}` : ''}`;
}
