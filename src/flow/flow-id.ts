/**
 * What a flow id may look like: the schema's `id` pattern (schemas/flow.schema.json, checked
 * equal by test/schema/flow-schema.test.ts), the `/stream/<id>` and `/answer/<id>` routes and
 * `--default-flow` all use this one source.
 */
export const FLOW_ID_SOURCE = '[A-Za-z0-9_][A-Za-z0-9_.-]*';
export const FLOW_ID = new RegExp(`^${FLOW_ID_SOURCE}$`);
