/**
 * `ivr test` benchmark: 1,000 generated cases against the shipped support flow with its timeouts
 * stretched (no input 60 s, between digits 20 s), so the cases spend minutes of simulated time
 * waiting: no-input retries, the inter-digit timeout, a caller who never answers the menu
 * (4 minutes). Target: the whole `ivr test` run under 5 s.
 *
 *   npm run build && node dist/test/bench/flow-tests.js [--cases 1000] [--keep]
 *
 * Runs the real CLI (`bin/ivr.js test <dir>`) in a child process, as CI would, on a temporary
 * folder holding a copy of flows/support.yaml, its prompts and the generated test file, and
 * prints wall and CPU time. `--keep` leaves the folder for a profile
 * (`node --cpu-prof bin/ivr.js test <dir>`).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** One case of kind `i % 5`, made distinct by `i` (account numbers, balances). */
export function generateCase(i: number): string {
  const account = String(1_000_000 + i);
  switch (i % 5) {
    case 0: // a caller who never presses anything: three no-inputs, goodbye
      return [
        `  - name: "case ${i}: silence through every retry ends the call"`,
        '    steps:',
        '      - played',
        '      - wait: 60s',
        '      - played',
        '      - wait: 60s',
        '      - played',
        '      - wait: 60s',
        '      - played',
        '      - wait: 60s',
        '      - expect: { node: goodbye }',
        '      - played',
        '      - expect: { end: completed }',
      ].join('\n');
    case 1: // billing with a balance; the account number typed slowly (just inside the inter-digit timeout)
      return [
        `  - name: "case ${i}: balance of account ${account}"`,
        '    fetch:',
        `      "GET http://127.0.0.1:8089/accounts/${account}":`,
        '        status: 200',
        `        body: { balance: ${i % 997} }`,
        '    steps:',
        '      - played',
        '      - press: "1"',
        '      - played',
        ...account.split('').flatMap((d) => [`      - press: "${d}"`, '      - wait: 19900ms']),
        '      - press: "#"',
        `      - expect: { fetch: "GET http://127.0.0.1:8089/accounts/${account}", vars: { account: "${account}", balance: ${i % 997} } }`,
        '      - played',
        '      - expect: { node: main_menu }',
        '      - hangup',
      ].join('\n');
    case 2: // the account number abandoned halfway: the inter-digit timeout, twice, then the operator
      return [
        `  - name: "case ${i}: half an account number, twice, goes to the operator"`,
        '    steps:',
        '      - played',
        '      - press: "1"',
        '      - played',
        `      - press: "${account.slice(0, 3)}"`,
        '      - wait: 20s',
        '      - played',
        `      - press: "${account.slice(3, 6)}"`,
        '      - wait: 20s',
        '      - expect: { node: operator }',
        '      - played',
        '      - expect: { sendDtmf: "*2100#" }',
      ].join('\n');
    case 3: // wrong keys, the menu repeated, then support (closed at the simulated hour)
      return [
        `  - name: "case ${i}: wrong keys, repeat, then support"`,
        '    steps:',
        '      - played',
        `      - press: "${3 + (i % 5)}"`,
        '      - played',
        '      - press: "9"',
        '      - played',
        '      - wait: 50s',
        '      - press: "2"',
        '      - played',
        '      - expect: { node: closed }',
        '      - played',
        '      - expect: { end: completed }',
      ].join('\n');
    default: // a long call: the menu left alone for a while, the operator at last
      return [
        `  - name: "case ${i}: menu heard twice, then the operator"`,
        '    steps:',
        '      - played',
        '      - wait: 50s',
        '      - press: "9"',
        '      - played',
        '      - wait: 59s',
        '      - press: "0"',
        '      - expect: { node: operator }',
        '      - played',
        '      - expect: { sendDtmf: "*2100#" }',
        '      - wait: 2s',
        '      - expect: { end: completed }',
      ].join('\n');
  }
}

export function generateTestFile(cases: number): string {
  const out = ['flow: support', 'cases:'];
  for (let i = 0; i < cases; i++) out.push(generateCase(i));
  return `${out.join('\n')}\n`;
}

/** CPU time of this process's reaped children (cutime + cstime in /proc/self/stat), ms. */
function childrenCpuMs(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / 100; // USER_HZ = 100
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const cases = arg('--cases', 1000);
  const dir = mkdtempSync(join(tmpdir(), 'ivr-flow-tests-'));
  try {
    const flow = readFileSync(join(ROOT, 'flows', 'support.yaml'), 'utf8')
      .replace('timeout: 5s', 'timeout: 60s')
      .replace('interDigitTimeout: 3s', 'interDigitTimeout: 20s');
    writeFileSync(join(dir, 'support.yaml'), flow);
    cpSync(join(ROOT, 'flows', 'prompts'), join(dir, 'prompts'), { recursive: true });
    writeFileSync(join(dir, 'support.test.yaml'), generateTestFile(cases));
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [join(ROOT, 'bin', 'ivr.js'), 'test', dir, '--format', 'json'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    const wallMs = performance.now() - t0;
    const cpuMs = childrenCpuMs();
    let summary = '';
    try {
      const report = JSON.parse(run.stdout) as { summary?: Record<string, unknown> } & Record<string, unknown>;
      summary = JSON.stringify(report.summary ?? Object.fromEntries(Object.entries(report).filter(([, v]) => typeof v === 'number')));
    } catch {
      summary = run.stdout.slice(0, 2000);
    }
    const simulated = [...generateTestFile(cases).matchAll(/wait: (\d+)(ms|s)/g)].reduce((ms, m) => ms + Number(m[1]) * (m[2] === 's' ? 1000 : 1), 0);
    process.stdout.write(`${Math.round(simulated / 60_000)} simulated minutes of waits in all\n`);
    process.stdout.write(`ivr test: ${cases} cases, exit ${run.status}, ${Math.round(wallMs)} ms wall, ${Math.round(cpuMs)} ms CPU\n${summary}\n`);
    if (run.status !== 0) process.stdout.write(`${run.stderr.slice(0, 2000)}\n`);
    if (process.argv.includes('--keep')) process.stdout.write(`kept ${dir}\n`);
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}
