/**
 * `ivr test --format github`: failures as GitHub workflow annotations
 * (https://docs.github.com/actions/reference/workflow-commands-for-github-actions), at the file
 * and line of the failing step, data escaped as the runner requires (% CR LF).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/run-cli.js';
import { fixtureWithTests } from './support/fixture-tests.js';

describe('ivr test --format github', () => {
  test('a failing case is an ::error at its failing step, escaped, then the summary line', async () => {
    const file = await fixtureWithTests('test/testing/fixtures/small', 'small.test.yaml', `flow: small
cases:
  - name: passes
    steps:
      - expect: { node: greet }
  - name: "50% of\\r\\nsales"
    steps:
      - played
      - press: "1"
      - expect: { play: [goodbye] }
`);
    const r = await runCli(['test', file, '--format', 'github'], { cwd: '/' });
    assert.equal(r.status, 1);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    const [annotation, summary] = lines as [string, string];
    assert.ok(annotation.startsWith(`::error file=${file.replace(/:/g, '%3A')},line=10,col=9,title=test-case-failed::`), annotation);
    const message = annotation.slice(annotation.indexOf('::', 2) + 2);
    assert.ok(message.startsWith('case "50%25 of%0D%0Asales", step 3 (expect: {"play":["goodbye"]})%0A  play:%0A    expected: ["goodbye"]%0A    actual:   ["welcome","main_menu","sales"]%0A  transcript:%0A'), message);
    assert.doesNotMatch(message, /[\r\n]/);
    assert.equal(summary, '1 passed, 1 failed');
  });

  test('a flow below --min-coverage is an ::error on its first line; a broken test file at its key', async () => {
    const broken = await fixtureWithTests('test/testing/fixtures/small', 'small.test.yaml', 'flow: small\ncases:\n  - name: x\n    stpes: []\n');
    const r = await runCli(['test', broken, '--format', 'github']);
    assert.match(r.stdout, /^::error file=[^,]+small\.test\.yaml,line=4,col=5,title=test-schema::unknown key 'stpes' in cases\[1\]$/m);

    const covered = await fixtureWithTests('test/testing/fixtures/small', 'small.test.yaml', 'flow: small\ncases:\n  - name: start\n    steps:\n      - expect: { node: greet }\n');
    const low = await runCli(['test', covered, '--format', 'github', '--min-coverage', '90']);
    assert.equal(low.status, 1);
    assert.match(low.stdout, /^::error file=[^,]+small\.yaml,line=1,col=1,title=test-coverage-below-minimum::coverage of flow small is 7\.1%25 \(1\/14\), below --min-coverage 90; not reached: main, /m);
    assert.equal(low.stdout.trimEnd().split('\n').at(-1), '1 passed, 0 failed');
  });

  test('validate and test print annotations through the same writer', async () => {
    const { githubAnnotation } = await import('../../src/diagnostics/render-github.js');
    const line = githubAnnotation({ code: 'x', severity: 'warning', message: 'a%b\nc', file: '/tmp/a,b:c.yaml', line: 2, col: 3 }, '/');
    assert.equal(line, '::warning file=tmp/a%2Cb%3Ac.yaml,line=2,col=3,title=x::a%25b%0Ac');
  });
});
