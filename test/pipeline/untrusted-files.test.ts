/**
 * Flow files are untrusted input (issue 10, "A symlink leaks the server's environment" and "big
 * files"): only regular files inside the flows folder are read, at most 1 MiB and 64 levels deep,
 * and a file that does not read as a flow is never quoted, in any output format.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { renderGithub } from '../../src/diagnostics/render-github.js';
import { renderJson } from '../../src/diagnostics/render-json.js';
import { renderText } from '../../src/diagnostics/render-text.js';
import { validatePaths } from '../../src/cli/validate.js';
import { loadServingFlows } from '../../src/plivo/serving-flows.js';
import { HELLO_WAV, flowDir } from '../check/flow-dir.js';
import { MAX_SAME_MISTAKES } from '../../src/parse/yaml-mistakes.js';
import { reporter } from '../../src/check/check-context.js';
import { readSource } from '../../src/parse/flow-source.js';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { tempDir } from '../support/temp-dir.js';

const CLEAN = 'ivr: 1\nnodes:\n  a:\n    play: hello\n    next: b\n  b:\n    end: {}\n';
const SECRET = 's3cr3t-token-5f0e2c';
/** What /proc/self/environ holds: NUL-separated NAME=value pairs. */
const ENVIRON = `HOME=/root\0PLIVO_AUTH_TOKEN=${SECRET}\0PATH=/usr/bin:/bin\0`;

/** validate's three output formats of a folder, concatenated. */
async function everyFormat(dir: string): Promise<{ report: Awaited<ReturnType<typeof validatePaths>>; out: string }> {
  const report = await validatePaths([dir]);
  return { report, out: renderText(report, dir) + renderJson(report, dir) + renderGithub(report, dir) };
}

/** Values of this process's environment long enough to be secrets: none may appear in any output. */
function environmentValues(): string[] {
  return Object.values(process.env).filter((v): v is string => typeof v === 'string' && v.length >= 12 && !v.includes('/'));
}

function found(report: Awaited<ReturnType<typeof validatePaths>>, name: string): string[] {
  return report.diagnostics.filter((d) => d.file.endsWith(`/${name}`)).map((d) => `${d.code} ${d.line}:${d.col}`);
}

describe('flow files are untrusted', () => {
  test('a symlink to /proc/self/environ is refused without reading: file-outside-folder, nothing of the environment in text, json or github', async () => {
    const dir = flowDir({ 'ok.yaml': CLEAN, 'prompts/hello.wav': HELLO_WAV });
    symlinkSync('/proc/self/environ', join(dir, 'env.yaml'));
    const { report, out } = await everyFormat(dir);
    assert.deepEqual(found(report, 'env.yaml'), ['file-outside-folder 1:1']);
    assert.deepEqual(found(report, 'ok.yaml'), [], 'the other flow still loads');
    for (const value of environmentValues()) assert.ok(!out.includes(value), 'an environment value was printed');
    assert.doesNotMatch(out, /PATH=|HOME=/);
  });

  test('the loader ivr serve uses (and so /readyz) refuses the link the same way', async () => {
    const dir = flowDir({ 'ok.yaml': CLEAN, 'prompts/hello.wav': HELLO_WAV });
    symlinkSync('/proc/self/environ', join(dir, 'env.yaml'));
    const loaded = await loadServingFlows([dir]);
    assert.equal(loaded.value, undefined, 'a refused file fails the load: the server keeps its last good set');
    assert.deepEqual(loaded.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['file-outside-folder 1:1']);
    const shown = JSON.stringify(loaded.diagnostics);
    for (const value of environmentValues()) assert.ok(!shown.includes(value));
  });

  test('a file inside the folder that is not a flow (environment text) is reported by code and position only', async () => {
    const dir = flowDir({ 'ok.yaml': CLEAN, 'prompts/hello.wav': HELLO_WAV, 'secrets.yaml': ENVIRON });
    const { report, out } = await everyFormat(dir);
    assert.ok(found(report, 'secrets.yaml').length > 0);
    assert.ok(!out.includes(SECRET), out);
    assert.ok(!out.includes('PLIVO_AUTH_TOKEN'), out);
    // A YAML map that is not a flow (a Kubernetes Secret dropped in the folder): keys and values stay unprinted.
    const dir2 = flowDir({ 'secret.yaml': `apiVersion: v1\nkind: Secret\nstringData:\n  PLIVO_AUTH_TOKEN: ${SECRET}\n` });
    const second = await everyFormat(dir2);
    assert.deepEqual(found(second.report, 'secret.yaml').map((f) => f.split(' ')[0]), ['schema-unknown-key', 'schema-unknown-key', 'schema-unknown-key']);
    assert.ok(!second.out.includes(SECRET) && !second.out.includes('PLIVO_AUTH_TOKEN') && !second.out.includes('stringData'), second.out);
  });

  test('ivr validate /proc/self/environ named directly prints nothing of the environment (text, json, github)', async () => {
    for (const format of ['text', 'json', 'github']) {
      let stdout: string;
      try {
        stdout = execFileSync(process.execPath, ['bin/ivr.js', 'validate', '--format', format, '/proc/self/environ'], {
          env: { ...process.env, IVR_TEST_SECRET: SECRET },
          encoding: 'utf8',
        });
      } catch (err) {
        stdout = (err as { stdout: string }).stdout;
      }
      assert.match(stdout, /yaml-syntax|schema-|not-regular|outside/, stdout);
      assert.ok(!stdout.includes(SECRET), `${format}: ${stdout}`);
      assert.ok(!stdout.includes('IVR_TEST_SECRET'), `${format}: ${stdout}`);
    }
  });

  test('a symlink to /dev/zero is refused from its type, without reading: file-not-regular', async () => {
    const dir = flowDir({ 'ok.yaml': CLEAN, 'prompts/hello.wav': HELLO_WAV });
    symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
    const before = process.memoryUsage().rss;
    const { report } = await everyFormat(dir);
    assert.deepEqual(found(report, 'zero.yaml'), ['file-not-regular 1:1']);
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'nothing of /dev/zero was buffered');
  });

  test('a symlink to /dev/stdin, and a FIFO, are refused without blocking', async () => {
    const dir = flowDir({ 'ok.yaml': CLEAN, 'prompts/hello.wav': HELLO_WAV });
    symlinkSync('/dev/stdin', join(dir, 'stdin.yaml'));
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    // Run as a child whose stdin is a pipe nobody writes to: reading either would hang the test.
    const { stdout } = await promisify(execFile)(process.execPath, ['bin/ivr.js', 'validate', '--format', 'json', dir]).catch((e: { stdout: string }) => e);
    const diagnostics = (JSON.parse(stdout) as { diagnostics: { file: string; code: string; line: number; col: number }[] }).diagnostics;
    const codes = Object.fromEntries(diagnostics.map((d) => [d.file.split('/').pop(), `${d.code} ${d.line}:${d.col}`]));
    assert.equal(codes['pipe.yaml'], 'file-not-regular 1:1');
    assert.match(codes['stdin.yaml'] ?? '', /^file-(not-regular|outside-folder|unreadable) 1:1$/);
  });

  test('prompt audio is bounded too: a 100 MiB file is refused unread past 64 MiB, a link to /dev/zero is no prompt', async () => {
    const dir = flowDir({ 'f.yaml': CLEAN, 'g.yaml': CLEAN.replace('hello', 'other') });
    mkdirSync(join(dir, 'prompts'));
    writeFileSync(join(dir, 'huge.bin'), '');
    truncateSync(join(dir, 'huge.bin'), 100 * 1024 * 1024); // sparse: no disk used
    symlinkSync('../huge.bin', join(dir, 'prompts', 'hello.wav'));
    symlinkSync('/dev/zero', join(dir, 'prompts', 'other.wav'));
    const report = await validatePaths([dir]);
    const f = report.diagnostics.filter((d) => d.file.endsWith('/f.yaml'));
    assert.deepEqual(f.map((d) => `${d.code} ${d.line}:${d.col}`), ['prompt-file-unsupported 4:11']);
    assert.match(f[0]!.message, /larger than 64 MiB/);
    assert.deepEqual(found(report, 'g.yaml'), ['unknown-prompt 4:11']);
  });

  test('a prompt that links to audio outside the folder (the server\'s recordings of callers) is refused by validate and by serve\'s loader, never played', async () => {
    const root = tempDir('ivr-prompt-link-');
    const recordings = join(root, 'recordings');
    mkdirSync(recordings);
    writeFileSync(join(recordings, 'caller.wav'), HELLO_WAV);
    const dir = join(root, 'flows');
    mkdirSync(join(dir, 'prompts'), { recursive: true });
    writeFileSync(join(dir, 'f.yaml'), CLEAN);
    writeFileSync(join(dir, 'g.yaml'), 'ivr: 1\nprompts:\n  other: { text: "Hi" }\nnodes:\n  a:\n    play: other\n    next: b\n  b:\n    end: {}\n');
    symlinkSync('../../recordings/caller.wav', join(dir, 'prompts', 'hello.wav'));
    symlinkSync('../../recordings/caller.wav', join(dir, 'prompts', 'other.wav'));
    const report = await validatePaths([dir]);
    // By name, and for a text prompt too (its text is not spoken instead: the author learns why the file is not played).
    assert.deepEqual(found(report, 'f.yaml'), ['unknown-prompt 4:11']);
    assert.deepEqual(found(report, 'g.yaml'), ['prompt-file-unsupported 3:10']);
    for (const d of report.diagnostics) {
      assert.match(d.message, /prompts\/(hello|other)\.wav is a link that leads outside the flow's folder/);
      assert.ok(!d.message.includes('recordings'), 'the link target is not shown');
    }
    const serving = await loadServingFlows([dir]);
    assert.equal(serving.value, undefined);
  });

  test('a link inside the folder (a ConfigMap ..data layout) is followed', async () => {
    const dir = flowDir({ '..data/ok.yaml': CLEAN, 'prompts/hello.wav': HELLO_WAV });
    symlinkSync('..data/ok.yaml', join(dir, 'ok.yaml'));
    const report = await validatePaths([dir]);
    assert.deepEqual(report.diagnostics, []);
  });

  test('a subflow id that is a path is a diagnostic at the value, and nothing outside the folder is loaded', async () => {
    const outside = tempDir('ivr-outside-');
    writeFileSync(join(outside, 'x.yaml'), `ivr: 1\nid: x\nvars: { stolen: "${SECRET}" }\nnodes:\n  r:\n    return: {}\n`);
    const caller = `ivr: 1\nnodes:\n  go:\n    subflow: { flow: "../../../../..${outside}/x" }\n    next: bye\n  bye:\n    end: {}\n`;
    const dir = flowDir({ 'caller.yaml': caller });
    const report = await validatePaths([dir]);
    assert.deepEqual(report.diagnostics.map((d) => `${d.code} ${d.line}:${d.col}`), ['schema-invalid-value 4:22']);
    assert.match(report.diagnostics[0]!.message, /not a flow id/);
    assert.equal(report.flows, 1, 'only the caller was read');
    assert.ok(!JSON.stringify(report).includes(SECRET));
  });

  test('a file over 1 MiB is refused before parsing: file-too-large 1:1', async () => {
    const big = `${CLEAN}${'# padding padding padding padding\n'.repeat(32 * 1024)}`;
    const dir = flowDir({ 'big.yaml': big });
    const report = await validatePaths([dir]);
    assert.deepEqual(found(report, 'big.yaml'), ['file-too-large 1:1']);
  });

  test('3,000-deep nesting is file-too-deep where it passes 64 levels; the other files keep their diagnostics', async () => {
    const deep = `ivr: 1\nnodes:\n  b:\n    end: {}\nvars:\n  x: ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
    const blockDeep = `ivr: 1\nvars:\n${Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n')} 1\nnodes:\n  b:\n    end: {}\n`;
    const dir = flowDir({ 'deep.yaml': deep, 'block.yaml': blockDeep, 'typo.yaml': 'ivr: 1\nnodes:\n  a:\n    end: {}\n    next: b\n' });
    const report = await validatePaths([dir]);
    assert.deepEqual(found(report, 'deep.yaml'), ['file-too-deep 6:68']);
    assert.deepEqual(found(report, 'block.yaml'), ['file-too-deep 66:129']);
    assert.deepEqual(found(report, 'typo.yaml'), ['next-not-allowed 5:5', 'unknown-target 5:11']);
  });

  test('40,000 keys with one given twice: duplicate-key at the second one', async () => {
    const keys = Array.from({ length: 40_000 }, (_, i) => `  k${i}: ${i}`);
    keys.push('  k17: again');
    const text = `ivr: 1\nnodes:\n  b:\n    end: {}\nvars:\n${keys.join('\n')}\n`;
    const dir = flowDir({ 'many.yaml': text });
    const report = await validatePaths([dir]);
    assert.deepEqual(found(report, 'many.yaml'), ['duplicate-key 40006:3']);
    assert.match(report.diagnostics[0]!.message, /key `k17` appears twice/);
  });

  test('a chain of 5,000 set/branch nodes is checked without recursion; as a loop it is one busy-loop', async () => {
    const chain = (loop: boolean): string => {
      const lines = ['ivr: 1', 'vars: { n: 0 }', 'nodes:'];
      for (let i = 0; i < 5000; i++) {
        const next = i === 4999 ? (loop ? 's0' : 'bye') : `s${i + 1}`;
        if (i % 2 === 0) lines.push(`  s${i}:`, '    set: { n: "n + 1" }', `    next: ${next}`);
        else lines.push(`  s${i}:`, `    branch: [{ if: "n > 100000", goto: bye }, { goto: ${next} }]`);
      }
      lines.push('  bye:', '    end: {}');
      return `${lines.join('\n')}\n`;
    };
    const dir = flowDir({ 'chain.yaml': chain(false), 'loop.yaml': chain(true) });
    const report = await validatePaths([dir]);
    // Checked, and 5,000 nodes are more states than a server builds (another flow's error no longer hides that).
    assert.deepEqual(found(report, 'chain.yaml'), ['flow-too-large 1:1']);
    assert.deepEqual(found(report, 'loop.yaml'), ['busy-loop 4:3']);
  });

  test('a menu of 30,000 options that start one another: checked in linear time, 20 findings listed, the last counting the rest', async () => {
    // Every option n is the start of option n0: each check that walks the options once per option
    // (or copies a node's list of ways out per way) took 9 s on this file.
    const options = Array.from({ length: 30_000 }, (_, i) => `        "${i}": done`);
    const text = ['ivr: 1', 'nodes:', '  m:', '    menu:', '      prompt: digit-1', '      options:', ...options, '  done:', '    end: {}', ''].join('\n');
    const dir = flowDir({ 'wide.yaml': text });
    const report = await validatePaths([dir]);
    const prefixes = report.diagnostics.filter((d) => d.code === 'option-prefix');
    assert.equal(prefixes.length, MAX_SAME_MISTAKES);
    assert.match(prefixes.at(-1)!.message, /\(and 2979 more `option-prefix` findings in this file\)$/);
    assert.match(prefixes[0]!.message, /^node `m`: option `1` is the start of option `10`,/);
  });

  test('5,000 targets that are no node, among 5,000 names: 20 findings with their "did you mean", the rest counted, never worded', async () => {
    // Each suggestion compares one name with every node's: made for all 10,000 it took 17 s.
    const lines = Array.from({ length: 5_000 }, (_, i) => `  node_number_${i}: { play: digit-1, next: node_numbr_${i}x }`);
    const dir = flowDir({ 'targets.yaml': ['ivr: 1', 'nodes:', ...lines, ''].join('\n') });
    const report = await validatePaths([dir]);
    const unknown = report.diagnostics.filter((d) => d.code === 'unknown-target');
    assert.equal(unknown.length, MAX_SAME_MISTAKES);
    assert.match(unknown[0]!.message, /^node `node_number_0`: `next` goes to `node_numbr_0x`, which is not a node of this flow — did you mean `node_number_0`\?/);
    assert.match(unknown.at(-1)!.message, /\(and 4980 more `unknown-target` findings in this file\)$/);

    // What the checks report through: a message given as a function is made for the listed ones only.
    const out: Diagnostic[] = [];
    const report30 = reporter(readSource('/flows/x.yaml', 'ivr: 1\nnodes:\n  a:\n    end: {}\n'), out);
    let made = 0;
    for (let i = 0; i < 30; i++) report30('unknown-target', '/nodes/a', () => `finding ${++made}`);
    assert.equal(made, MAX_SAME_MISTAKES);
    assert.deepEqual(out.map((d) => d.message.replace(/ \(and .*$/, '')), Array.from({ length: MAX_SAME_MISTAKES }, (_, i) => `finding ${i + 1}`));
    assert.match(out.at(-1)!.message, /\(and 10 more `unknown-target` findings in this file\)$/);
  });

  test('a list anchored once and aliased by 99 nodes: file-too-large at the first alias, before the schema checks 400,000 values', async () => {
    // 11 KiB: it took validate 3.6 s and 1 GB, every copy of the list checked and reported.
    const nodes = Array.from({ length: 99 }, (_, i) => `  n${i}: { play: *a, next: n${(i + 1) % 99} }`);
    const text = ['ivr: 1', `description: &a [${Array.from({ length: 4_000 }, () => '5').join(',')}]`, 'nodes:', ...nodes, ''].join('\n');
    const dir = flowDir({ 'aliases.yaml': text, 'good.yaml': 'ivr: 1\nnodes:\n  a:\n    end: {}\n' });
    const report = await validatePaths([dir]);
    const found = report.diagnostics.map((d) => `${d.file.endsWith('aliases.yaml') ? 'aliases' : 'good'} ${d.code} ${d.line}:${d.col}`);
    assert.deepEqual(found, ['aliases file-too-large 4:15']);
    assert.match(report.diagnostics[0]!.message, /holds more than 100000 values, counting what each alias repeats/);
  });

  test('a file that does not read as a flow keeps the count of the findings not listed (a number and a code: nothing of the file)', async () => {
    const nodes = Array.from({ length: 30 }, (_, i) => `  n${i}: { play: 5, next: n0 }`);
    const dir = flowDir({ 'noivr.yaml': ['nodes:', ...nodes, ''].join('\n') });
    const report = await validatePaths([dir]);
    const wrong = report.diagnostics.filter((d) => d.code === 'schema-invalid-value');
    assert.equal(wrong.length, MAX_SAME_MISTAKES);
    for (const d of wrong) assert.match(d.message, /^A value has the wrong type|Nothing of the file is shown/);
    assert.match(wrong.at(-1)!.message, /Nothing of the file is shown: it does not read as a flow \(a map with `ivr: 1`\)\. \(and 10 more `schema-invalid-value` findings in this file\)$/);
    assert.doesNotMatch(JSON.stringify(report.diagnostics), /n29|play/);
  });
});

