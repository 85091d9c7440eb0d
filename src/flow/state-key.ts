/**
 * The key of a node's state in its machine: the node's name with each `.` written `_` (XState reads
 * a dot in a state key as a path). Node names that differ only there would be one state:
 * check/node-name-clash.ts refuses them.
 */
export const stateKey = (name: string): string => name.replace(/\./g, '_');

/**
 * What joins a subflow node and the nodes of the flow it calls, in state ids (`n:sub/x`) and in the
 * node paths watchers see (`<subflow id>/<node>`): a node name may not hold it (check/node-name-clash.ts).
 */
export const SUBFLOW_SEPARATOR = '/';
