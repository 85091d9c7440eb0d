/**
 * The one registry of diagnostic codes. (Placeholder: the front end fills it in; every code is
 * documented in flows/README.md and a test checks that.)
 */
export type DiagnosticCode = string;
