/**
 * Generated flows for the front-end benchmarks: a chain of `nodes` nodes cycling through the
 * kinds that cost the front end most (menus with options and handlers, collects with patterns,
 * CEL in set/branch/templates, prompt lists with numbers). Prompt names are the engine's system
 * set, so the flows validate without audio of their own.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function generateFlowYaml(id: string, nodes: number): string {
  const lines: string[] = [
    'ivr: 1',
    `id: ${id}`,
    'settings: { timeout: 5s, interDigitTimeout: 2s }',
    'vars: { count: 0, total: 0.0, account: "", label: "x" }',
    'global: { "0": n0 }',
    'onError: fail',
    'nodes:',
  ];
  const next = (i: number): string => (i + 1 < nodes ? `n${i + 1}` : 'bye');
  for (let i = 0; i < nodes; i++) {
    lines.push(`  n${i}:`);
    switch (i % 5) {
      case 0:
        lines.push(
          '    menu:',
          '      prompt: [digit-1, digit-2]',
          '      reprompt: digit-3',
          `      options: { "1": ${next(i)}, "2": { goto: ${next(i)}, set: { count: "count + 1" } }, "9": n${i} }`,
          '      noInput: { prompt: digit-4, max: 3, then: bye }',
          '      noMatch: { prompt: digit-5, max: 2 }',
        );
        break;
      case 1:
        lines.push(
          '    collect:',
          '      prompt: digit-6',
          '      into: account',
          '      min: 4',
          '      max: 8',
          '      pattern: "^[0-9]{4,8}$"',
          '      valid: "size(input) >= 4"',
          `    next: ${next(i)}`,
        );
        break;
      case 2:
        lines.push(
          '    set:',
          '      count: "count + 1"',
          '      total: "total + double(count) * 1.5"',
          '      label: "\'node\' + string(count)"',
          `    next: ${next(i)}`,
        );
        break;
      case 3:
        lines.push(
          '    branch:',
          `      - if: "count > 3 && account.startsWith('1')"`,
          `        goto: ${next(i)}`,
          `      - goto: ${next(i)}`,
          '        set: { count: "count * 2" }',
        );
        break;
      default:
        lines.push(`    play: [digit-7, { number: "total" }, { digits: "account" }, { silence: 250ms }]`, `    next: ${next(i)}`);
    }
  }
  lines.push('  fail:', '    end: { reason: error }', '  bye:', '    end: { prompt: digit-0 }');
  return `${lines.join('\n')}\n`;
}

/** Writes `count` flows of `nodes` nodes into `dir`; returns their paths. */
export function writeFlows(dir: string, count: number, nodes: number): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const file = join(dir, `gen-${nodes}-${i}.yaml`);
    writeFileSync(file, generateFlowYaml(`gen_${nodes}_${i}`, nodes));
    files.push(file);
  }
  return files;
}
