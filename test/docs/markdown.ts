/**
 * Just enough Markdown reading for the documentation tests: fenced code blocks with the line they
 * start on, a section under a heading, table rows, and the `ivr ...` command lines a reader
 * would copy.
 */

export interface CodeBlock {
  lang: string;
  body: string;
  /** 1-based line of the opening fence, for failure messages. */
  line: number;
}

/** Every fenced block (```lang ... ```), in order; indented fences count too (lists). */
export function codeBlocks(text: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```(\S*)\s*$/.exec(lines[i]!);
    if (!open) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++) body.push(lines[j]!.slice(Math.min(indent, leading(lines[j]!))));
    blocks.push({ lang: open[2]!, body: body.join('\n') + '\n', line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The text under `heading` (exact line, e.g. `## Commands`) up to the next heading of the same or a higher level. */
export function section(text: string, heading: string): string {
  const level = /^#+/.exec(heading)?.[0].length ?? 2;
  const lines = text.split('\n');
  const start = lines.indexOf(heading);
  if (start < 0) return '';
  let end = start + 1;
  while (end < lines.length) {
    const h = /^(#+) /.exec(lines[end]!);
    if (h && h[1]!.length <= level && !insideFence(lines, end)) break;
    end++;
  }
  return lines.slice(start, end).join('\n');
}

/** The first cells of a Markdown table's rows, without backticks: `| \`timeout\` | \`5s\` |` -> ['timeout', '5s', ...]. */
export function tableRows(text: string): string[][] {
  return text.split('\n')
    .filter((line) => /^\|/.test(line) && !/^\|[-| ]+\|$/.test(line))
    .map((line) => line.slice(1, line.lastIndexOf('|')).split(/(?<!\\)\|/).map((cell) => cell.trim()));
}

/** `\`ivr test --coverage\`` -> 'ivr test --coverage'; the cell's first code span, or the cell. */
export function codeOf(cell: string): string {
  return /`([^`]*)`/.exec(cell)?.[1] ?? cell;
}

/**
 * Every `ivr ...` command line a reader can copy: lines of sh blocks (after `$ ` or `npx `) and
 * inline code spans starting with `ivr `. Comments after `#` are dropped.
 */
export function ivrCommandLines(text: string): { command: string; line: number }[] {
  const found: { command: string; line: number }[] = [];
  for (const block of codeBlocks(text)) {
    if (block.lang !== 'sh' && block.lang !== 'bash') continue;
    block.body.split('\n').forEach((raw, i) => {
      for (const part of raw.replace(/\s#.*$/, '').split(/&&|;/)) {
        const command = part.trim().replace(/^\$\s*/, '').replace(/^npx\s+/, '');
        if (/^ivr\s/.test(command)) found.push({ command, line: block.line + 1 + i });
      }
    });
  }
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (insideFence(lines, i)) return;
    for (const m of line.matchAll(/`((?:npx )?ivr [^`]+)`/g)) found.push({ command: m[1]!.replace(/^npx\s+/, ''), line: i + 1 });
  });
  return found;
}

function leading(line: string): number {
  return /^\s*/.exec(line)![0].length;
}

function insideFence(lines: string[], index: number): boolean {
  let open = false;
  for (let i = 0; i < index; i++) if (/^\s*```/.test(lines[i]!)) open = !open;
  return open;
}
