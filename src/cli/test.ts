import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { TEST_OPTIONS } from '../options/command-options.js';
import type { OptionValues } from '../options/option-schema.js';
import type { CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

/**
 * Options of `ivr test`, read by its schema (src/options/command-options.ts). `generate`: the
 * flow given to `--generate <flow.yaml>`, or `[]` for `--generate` with the flows as arguments.
 */
export type TestCommandOptions = OptionValues<typeof TEST_OPTIONS>;

/**
 * `ivr test [files or folders]` (default `flows/`): runs the flow tests and prints the results;
 * `--generate <flow.yaml>` writes `<flow>.test.yaml` beside the flow instead.
 * Exit code: 0 all passed, 1 a case failed (or coverage too low, or a file is broken); usage
 * mistakes throw `UsageError` (exit 2).
 *
 * @example
 *   ivr test flows/ --coverage --min-coverage 90
 *   ivr test --generate flows/support.yaml
 */
export async function run(args: readonly string[], options: TestCommandOptions): Promise<CommandResult> {
  if (options.generate !== undefined) {
    const flows = [...options.generate, ...args];
    if (flows.length === 0) return usage('--generate needs a flow file: ivr test --generate flows/support.yaml');
    return generate(flows, options.force === true);
  }

  const { runTests } = await import('../testing/run-tests.js');
  const renderers = await import('../testing/render-results.js');
  const paths = args.length > 0 ? [...args] : ['flows/'];
  for (const path of paths) if (!existsSync(path)) return usage(`no such file or folder: ${path}`);
  const runOptions: { coverage?: boolean; minCoverage?: number } = { coverage: options.coverage === true };
  if (options.minCoverage !== undefined) runOptions.minCoverage = options.minCoverage;
  const result = await runTests(paths, runOptions);
  const render = { json: renderers.renderJson, github: renderers.renderGithub, text: renderers.renderText }[options.format];
  return { exitCode: result.ok ? 0 : 1, stdout: render(result) };
}

async function generate(flowFiles: readonly string[], force: boolean): Promise<CommandResult> {
  const { prepareFlows } = await import('../pipeline/prepare-flows.js');
  const { generateCases } = await import('../testing/generate-tests.js');
  const { generatedYaml } = await import('../testing/write-generated.js');
  let status = 0;
  let stdout = '';
  let stderr = '';
  // Every file is checked before any is written: a usage error writes nothing.
  for (const flowFile of flowFiles) if (!existsSync(resolve(flowFile))) return usage(`no such flow file: ${flowFile}`);
  for (const flowFile of flowFiles) {
    const abs = resolve(flowFile);
    const out = join(dirname(abs), `${basename(abs).replace(/\.ya?ml$/, '')}.test.yaml`);
    if (existsSync(out) && !force) {
      stderr += `${out} exists; not overwritten (use --force to replace it)\n`;
      status = 1;
      continue;
    }
    const { value: prepared } = await prepareFlows([dirname(abs)]);
    const loaded = [...prepared.loaded.values()].find((f) => f.file === abs);
    const compiled = loaded ? prepared.compiled.get(loaded.id) : undefined;
    if (!loaded || !compiled) {
      stderr += `${flowFile}: the flow has errors; run ivr validate ${flowFile}\n`;
      status = 1;
      continue;
    }
    const subflows = new Map([...prepared.loaded].map(([id, flow]) => [id, flow.doc] as const));
    const result = await generateCases(compiled, prepared.prompts, { subflows });
    await writeFile(out, generatedYaml(loaded.id, basename(abs), out, result));
    stdout += `wrote ${out}: ${result.cases.length} case(s)${result.unreached.length > 0 ? `; not reached: ${result.unreached.join(', ')}` : ''}\n`;
  }
  return { exitCode: status, stdout, stderr };
}

/** main() prints it and exits 2: exit codes are decided in one place. */
function usage(message: string): never {
  throw new UsageError(`test: ${message}`);
}
