import { DEFAULT_START_TEXT } from '../testing/start-time.js';

/** What `ivr test --help` adds after its options: the test-file keys an author reaches for, and the default clock. */
export const TEST_HELP = `
Test files (flows/README.md, "Testing flows"; schemas/flow-test.schema.json):
  defaults:            start, vars and fetch for every case; a case's own keys win, maps merged
  start.at             when the call starts on the simulated clock, ISO 8601 with its offset
                       ("2026-03-02T14:30:00-05:00"); default ${DEFAULT_START_TEXT}, which is
                       03:00 in Chicago: before US business hours
  start.callId         the call's id (default test-call): it picks a split's branch
  start.headers.lang   the call's language, when the flow lists it
  expect:              play (prompt names, { say: "final text" }), clear, sendDtmf, fetch, node,
                       flow (the flow running now), vars (of the flow running now, and the
                       call's language), end (hangup after a hangup step), nothing
Coverage lists the flows tested, the subflows they can call (a caller's cases count for them) and
every flow of a folder given: one no case reaches is at 0% and fails --min-coverage.
--generate also reaches splits and branches on the clock or the language, through start:.`;
