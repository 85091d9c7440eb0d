#!/bin/sh
# Regenerates the engine's English system prompt set (the words `{ digits }` and `{ number }`
# items are spoken with, and the record beep) as 8 kHz mono 16-bit PCM WAVs.
# Needs espeak-ng and sox (Debian: apt-get install espeak-ng sox); tests never run this, they
# use the committed WAVs.
# Usage: src/audio/system-prompts/generate.sh   (from anywhere)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
out="$here/en"
voice=${VOICE:-en-us}
speed=${SPEED:-165}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"

# say NAME WORDS: speak WORDS into $out/NAME.wav, trimmed of leading and trailing silence
# (sox's silence effect trims the start; `reverse` twice applies it to the end too), normalised
# to -3 dBFS so every word plays at the same level.
say() {
  espeak-ng -v "$voice" -s "$speed" -w "$tmp/raw.wav" "$2"
  sox "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$out/$1.wav" \
    silence 1 0.05 1% reverse silence 1 0.05 1% reverse norm -3
}

n=0
for word in zero one two three four five six seven eight nine; do
  say "digit-$n" "$word"; n=$((n + 1))
done
n=10
for word in ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen; do
  say "number-$n" "$word"; n=$((n + 1))
done
n=20
for word in twenty thirty forty fifty sixty seventy eighty ninety; do
  say "number-$n" "$word"; n=$((n + 10))
done
for word in hundred thousand million minus point; do
  say "$word" "$word"
done

# The record beep: a 1 kHz tone of 250 ms with 10 ms fades, so it does not click.
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$out/beep.wav" synth 0.25 sine 1000 vol 0.5 fade 0.01 0.25 0.01

echo "wrote $(ls "$out" | wc -l) prompts to $out"
