/**
 * `ivr test --generate` benchmark: for each shipped flow and the desk fixture (business hours in
 * Chicago, a split, a language branch), the cases written, the simulated calls the search ran,
 * the CPU time of the search, and the coverage the generated file reaches when `ivr test` runs it
 * alone.
 *
 *   npm run build && node dist/test/bench/generate-tests.js
 *
 * Works on a temporary copy of flows/ (plus the desk fixture's flows and prompts), so nothing in
 * the project is written.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareFlows } from '../../src/pipeline/prepare-flows.js';
import { generateCases } from '../../src/testing/generate-tests.js';
import { runTests } from '../../src/testing/run-tests.js';
import { generatedYaml } from '../../src/testing/write-generated.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FLOWS = ['support', 'after-hours', 'main', 'pharmacy', 'verify-dob', 'clinic', 'desk'];

const dir = mkdtempSync(join(tmpdir(), 'ivr-bench-generate-'));
try {
  cpSync(join(ROOT, 'flows'), dir, { recursive: true, filter: (src) => !src.endsWith('.test.yaml') });
  const fixture = join(ROOT, 'test/testing/fixtures/files-v11');
  for (const f of ['desk.yaml', 'pin.yaml']) cpSync(join(fixture, f), join(dir, f));
  cpSync(join(fixture, 'prompts'), join(dir, 'prompts'), { recursive: true, force: false });
  const { value: prepared } = await prepareFlows([dir]);
  const subflows = new Map([...prepared.loaded].map(([id, flow]) => [id, flow.doc] as const));
  console.log('flow          cases  calls  search CPU ms  coverage of the generated file alone');
  for (const id of FLOWS) {
    const compiled = prepared.compiled.get(id);
    if (!compiled) throw new Error(`flow ${id} did not compile`);
    const cpu = process.cpuUsage();
    const result = await generateCases(compiled, prepared.prompts, { subflows });
    const used = process.cpuUsage(cpu);
    const file = join(dir, `${id}.test.yaml`);
    writeFileSync(file, generatedYaml(id, `${id}.yaml`, file, result));
    const run = await runTests([file], { coverage: true });
    const own = run.coverage?.find((c) => c.flow === id);
    const line = [
      id.padEnd(12),
      String(result.cases.length).padStart(6),
      String(result.calls).padStart(6),
      String(Math.round((used.user + used.system) / 1000)).padStart(14),
      `  ${own?.percent ?? '?'}% (${own?.reached ?? 0}/${own?.total ?? 0})${run.failed > 0 ? `, ${run.failed} generated case(s) FAIL` : ''}`,
    ];
    console.log(line.join(' '));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
