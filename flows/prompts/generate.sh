#!/bin/sh
# Regenerates the shipped flows' prompts (flows/prompts/en/*.wav) from the `text:` of every
# `prompts:` entry in flows/*.yaml, so the words a flow shows and the words a caller hears
# cannot drift apart. Needs node (run `npm install` first: it uses the `yaml` package),
# espeak-ng and sox (Debian: apt-get install espeak-ng sox). Tests never run this; they use
# the committed WAVs.
#
# The encodings are mixed on purpose, so every format the engine converts at load is exercised
# by the shipped flows: most prompts are 16-bit PCM at 8 kHz, a few are G.711 μ-law (WAV format
# 7), one is A-law (format 6) and one is 16-bit PCM at 16 kHz.
#
# Usage: flows/prompts/generate.sh   (from anywhere)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
flows=$(cd "$here/.." && pwd)
root=$(cd "$flows/.." && pwd)
voice=${VOICE:-en-us}
speed=${SPEED:-160}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

MULAW="goodbye no_input invalid message_received"
ALAW="transferring"
WIDEBAND="welcome"

# file<TAB>text, one line per distinct file; two flows giving one file different words is an error.
(cd "$root" && node --input-type=module -e '
  import { readFileSync, readdirSync } from "node:fs";
  import { parse } from "yaml";
  const dir = process.argv[1];
  const seen = new Map();
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".yaml") && !f.endsWith(".test.yaml")).sort()) {
    const doc = parse(readFileSync(`${dir}/${name}`, "utf8"));
    for (const [prompt, def] of Object.entries(doc?.prompts ?? {})) {
      if (!def.text) { console.error(`${name}: prompt ${prompt} has no text`); process.exit(1); }
      const before = seen.get(def.file);
      if (before !== undefined && before !== def.text) { console.error(`${name}: ${def.file} has two texts`); process.exit(1); }
      seen.set(def.file, def.text);
    }
  }
  for (const [file, text] of seen) console.log(`${file}\t${text}`);
' "$flows") > "$tmp/list.tsv"

has() { case " $1 " in *" $2 "*) return 0 ;; esac; return 1; }

count=0
while IFS="$(printf '\t')" read -r file text; do
  out="$here/$file"
  name=$(basename "$file" .wav)
  mkdir -p "$(dirname "$out")"
  espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$text"
  if has "$MULAW" "$name"; then format="-r 8000 -e u-law -b 8"
  elif has "$ALAW" "$name"; then format="-r 8000 -e a-law -b 8"
  elif has "$WIDEBAND" "$name"; then format="-r 16000 -e signed-integer -b 16"
  else format="-r 8000 -e signed-integer -b 16"
  fi
  # Trim leading/trailing silence (reverse twice trims the end), normalise to -3 dBFS.
  # shellcheck disable=SC2086
  sox "$tmp/raw.wav" -c 1 $format "$out" silence 1 0.05 1% reverse silence 1 0.05 1% reverse norm -3
  count=$((count + 1))
done < "$tmp/list.tsv"

echo "wrote $count prompts under $here"
