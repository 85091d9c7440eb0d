/**
 * Three flows nested by subflow nodes (main -> dob -> confirm), with global keys at two levels:
 * the caller's `*` (with a `set`) and `0`, and the child's own `0`. Shared by the tests of global
 * keys inside subflows and of fused step actions (leaving subflows, then assigning).
 */
export const PARENT = `
ivr: 1
id: main
vars: { dob: "", via: "" }
global:
  "*": { goto: menu, set: { via: "'star'" } }
  "0": operator
onError: sorry
nodes:
  verify: { subflow: { flow: dob, output: { dob: "dob" } }, next: menu }
  menu: { menu: { prompt: main_menu, options: { "1": verify } } }
  operator: { end: { prompt: transferring, reason: operator } }
  sorry: { end: { reason: error } }
`;
export const CHILD = `
ivr: 1
id: dob
vars: { dob: "", tries: 0 }
global: { "0": help }
nodes:
  ask:
    collect: { prompt: enter_dob, into: dob, min: 8, max: 8 }
    next: confirm
  confirm: { subflow: { flow: confirm }, next: done }
  done: { return: {} }
  help: { play: dob_help, next: ask }
`;
export const GRANDCHILD = `
ivr: 1
id: confirm
nodes:
  q: { menu: { prompt: is_that_right, options: { "1": back } } }
  back: { return: {} }
`;
