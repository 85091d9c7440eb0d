/**
 * `--tts-command "<program and args>"` split into a program and its arguments the way a shell
 * would split words (spaces, '…', "…", backslash), with no shell run: nothing in the text is
 * expanded or executed.
 *
 * @example
 *   splitCommandLine(`piper --model "/srv/voices/en 1.onnx" --output_file -`)
 *   // ['piper', '--model', '/srv/voices/en 1.onnx', '--output_file', '-']
 * @throws Error on an unclosed quote or an empty command.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote !== undefined) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && i + 1 < line.length) word = (word ?? '') + line[++i];
      else word = (word ?? '') + ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= '';
    } else if (ch === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + ch;
    }
  }
  if (quote !== undefined) throw new Error(`unclosed ${quote} in the TTS command`);
  if (word !== undefined) words.push(word);
  if (words.length === 0 || words[0] === '') throw new Error('the TTS command is empty');
  return words;
}
