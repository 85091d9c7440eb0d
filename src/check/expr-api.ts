import { compileExpr, parseTemplate } from '../expr/index.js';
import type { CompileResult, ParseTemplateResult } from '../expr/index.js';
import type { ExprEnv } from '../expr/index.js';

/**
 * The slice of the expression module (src/expr/) the checks use. One seam, so a check can be
 * run with a stand-in (tests) and the checks never reach into the module's internals.
 */
export interface ExprApi {
  compileExpr(source: string, env: ExprEnv): CompileResult;
  parseTemplate(text: string): ParseTemplateResult;
}

const REAL: ExprApi = { compileExpr, parseTemplate };

/** The expression module. (Async so a loader may later defer importing CEL until a flow needs it.) */
export async function exprApi(): Promise<ExprApi> {
  return REAL;
}
