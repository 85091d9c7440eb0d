/**
 * The flow the end-to-end tests call: the shape of the shipped support line (greeting, menu with
 * reprompt and handlers, global operator key, collect, fetch, number read-back, transfer, record,
 * a multi-digit menu with a match pattern), with short timeouts so real time stays cheap.
 */
export const E2E_FLOW = `# yaml-language-server: $schema=../schemas/flow.schema.json
ivr: 1
id: e2e
description: End-to-end test line
settings:
  timeout: 400ms
  interDigitTimeout: 250ms
  bargeIn: true
vars:
  account: ""
  balance: 0.0
  billingApi: "http://127.0.0.1:9"
  ext: "123"
  message: ""
global:
  "0": operator
onError: sorry
onFailure: goodbye
start: greet
nodes:
  greet:
    play: welcome
    next: main_menu
  main_menu:
    menu:
      prompt: main_menu
      reprompt: main_menu_short
      options:
        "1": account
        "2": directory
        "3": voicemail
        "9": main_menu
      noInput: { prompt: no_input, max: 3, then: goodbye }
      noMatch: { prompt: invalid, max: 3, then: goodbye }
  account:
    collect:
      prompt: enter_account
      into: account
      min: 4
      max: 8
      terminator: "#"
      pattern: "^[0-9]{4,8}$"
      noInput: { prompt: no_input, max: 2, then: goodbye }
      noMatch: { prompt: invalid, max: 2, then: goodbye }
    next: lookup
  lookup:
    fetch:
      url: "{{ billingApi }}/accounts/{{ account }}"
      timeout: 300ms
      prompt: one_moment
      set: { balance: "response.body.balance" }
    next: say_balance
    onError: sorry
  say_balance:
    play: [balance_is, { number: "balance" }, dollars]
    next: goodbye
  directory:
    menu:
      prompt: directory_prompt
      maxDigits: 4
      options:
        "11": sales
      match:
        - { pattern: "^2[0-9]{3}$", goto: dial_extension, set: { ext: "input" } }
      noInput: { prompt: no_input, max: 2, then: goodbye }
      noMatch: { prompt: invalid, max: 2, then: goodbye }
  sales:
    play: sales
    next: goodbye
  dial_extension:
    transfer:
      prompt: transferring
      dtmf: "*2{{ ext }}#"
      settle: 50ms
  operator:
    transfer:
      prompt: transferring
      dtmf: "*2{{ ext }}#"
      settle: 50ms
    next: done
  voicemail:
    record:
      prompt: leave_message
      beep: true
      maxDuration: 5s
      silenceTimeout: 2s
      into: message
    next: goodbye
  sorry:
    end: { prompt: sorry, reason: error }
  goodbye:
    end: { prompt: goodbye, reason: completed }
  done:
    end: {}
`;

/** Prompt name -> length in ms (distinct lengths and tones: each maps back to one name). */
export const E2E_PROMPTS: Record<string, number> = {
  welcome: 200,
  main_menu: 240,
  main_menu_short: 120,
  no_input: 100,
  invalid: 110,
  enter_account: 180,
  one_moment: 150,
  balance_is: 130,
  dollars: 90,
  directory_prompt: 170,
  sales: 80,
  transferring: 140,
  leave_message: 160,
  sorry: 70,
  goodbye: 60,
};

/**
 * A voicemail line: one `record` node (prompt `leave_message`, the path into `message`), then
 * `goodbye` ending with reason `saved`. `record` is the node's options as YAML flow text.
 */
export function voicemailFlow(record = '{ silenceTimeout: 3s, maxDuration: 20s }'): string {
  return `
ivr: 1
id: voicemail
vars: { message: "" }
nodes:
  leave:
    record: ${record.replace(/^\{ /, '{ prompt: leave_message, into: message, ')}
    next: goodbye
  goodbye:
    end: { prompt: goodbye, reason: saved }
`;
}

/** Lengths of the voicemail line's prompts, in ms. */
export const VOICEMAIL_PROMPTS: Record<string, number> = { leave_message: 1000, goodbye: 300 };
