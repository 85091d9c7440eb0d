/**
 * `ivr serve --var flow.name=value`: a deployment's values for flows' declared variables (a
 * billing API's address, a feature switch), typed by each variable's declaration. Checked when
 * the flows load at start (a problem is a usage error: exit 2) and again at every reload, which
 * is refused when the reloaded flows would read a value differently from the one the server was
 * started with (a variable removed, or re-declared with another type): restart to apply that.
 * Problems name the flow, the variable and the type expected, never the value (it may be secret).
 *
 *   typeDeploymentVars({ support: { billingApi: 'http://billing:8080' } }, serving.flows)
 *   // { vars: { support: { billingApi: 'http://billing:8080' } }, problems: [] }
 */
import { isDeepStrictEqual } from 'node:util';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { varFromText } from '../expr/var-from-text.js';
import type { LoadedFlow } from '../flow/loaded-flow.js';
import type { LoadResult } from './reload.js';

export type DeploymentVars = Record<string, Record<string, unknown>>;

export function typeDeploymentVars(
  texts: Readonly<Record<string, Readonly<Record<string, string>>>>,
  flows: ReadonlyMap<string, { flow: LoadedFlow }>,
): { vars: DeploymentVars; problems: string[] } {
  const vars: DeploymentVars = {};
  const problems: string[] = [];
  for (const [flowId, values] of Object.entries(texts)) {
    const flow = flows.get(flowId)?.flow;
    if (flow === undefined) {
      problems.push(`--var ${flowId}.…: there is no flow \`${flowId}\`${didYouMean(flowId, flows.keys())}`);
      continue;
    }
    const types = flow.varTypes ?? {};
    for (const [name, text] of Object.entries(values)) {
      const type = types[name];
      if (type === undefined) {
        problems.push(`--var ${flowId}.${name}: flow \`${flowId}\` declares no variable \`${name}\` in its vars:${didYouMean(name, Object.keys(types))}`);
        continue;
      }
      const read = varFromText(type, text);
      if ('expected' in read) problems.push(`--var ${flowId}.${name}: the flow declares it as ${read.expected}; the value given is not one`);
      else (vars[flowId] ??= {})[name] = read.value;
    }
  }
  return { vars, problems };
}

/**
 * A reload's result, refused (as a failed reload) when its flows would read the `--var` values
 * differently from the values the server started with.
 */
export function keepDeploymentVars(result: LoadResult, texts: Readonly<Record<string, Readonly<Record<string, string>>>>, started: DeploymentVars): LoadResult {
  if (result.value === undefined) return result;
  const again = typeDeploymentVars(texts, result.value.flows);
  if (again.problems.length > 0) return { ...result, value: undefined, failure: again.problems.join('; ') };
  if (!isDeepStrictEqual(again.vars, started)) {
    return { ...result, value: undefined, failure: 'the reloaded flows declare a --var variable with another type than the server started with: restart to apply' };
  }
  return result;
}
