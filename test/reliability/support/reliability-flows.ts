/**
 * Flows the reliability tests call. `sink` never ends on its own (every key and every timeout
 * lead back to the menu), so a fuzzing connection keeps its call alive until it hangs up and
 * every frame it sends is parsed and counted. `echo` answers each key with a short prompt, for
 * latency measurements. `talker` plays long prompts on every key, to fill a send buffer.
 */
export const SINK_FLOW = `ivr: 1
id: sink
settings:
  timeout: 20s
  interDigitTimeout: 1s
  bargeIn: true
  maxCallDuration: 10m
start: loop
nodes:
  loop:
    menu:
      prompt: welcome
      options:
        "1": loop
        "2": again
      noInput: { prompt: welcome, max: 50, then: loop }
      noMatch: { prompt: welcome, max: 50, then: loop }
  again:
    play: welcome
    next: loop
`;

export const ECHO_FLOW = `ivr: 1
id: echo
settings:
  timeout: 20s
  bargeIn: true
start: ask
nodes:
  ask:
    menu:
      prompt: beep_short
      options:
        "1": one
        "2": two
        "#": bye
      noMatch: { prompt: beep_short, max: 1000, then: ask }
  one:
    play: tone_one
    next: ask
  two:
    play: tone_two
    next: ask
  bye:
    end: { prompt: tone_one, reason: completed }
`;

export const TALKER_FLOW = `ivr: 1
id: talker
settings:
  timeout: 20s
  bargeIn: true
start: talk
nodes:
  talk:
    menu:
      prompt: long_story
      options:
        "1": talk
      noMatch: { prompt: long_story, max: 1000, then: talk }
`;

export const RELIABILITY_PROMPTS: Record<string, number> = {
  welcome: 200,
  beep_short: 40,
  tone_one: 50,
  tone_two: 60,
  long_story: 20_000,
};
