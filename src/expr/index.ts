/**
 * Expressions (CEL) and `{{ }}` templates: everything the front end checks and the compiled
 * machine evaluates. See flows/README.md, "Expressions and templates".
 */
export { varTypeOf, type VarType } from './var-type.js';
export { assignable, valueFits, describeValue, describeType } from './assignable.js';
export type { ExprEnv, ExtraName } from './cel-environment.js';
export { compileExpr, type CompiledExpr, type ExprScope, type CompileResult } from './compile-expr.js';
export type { CompileError, CompileErrorKind } from './messages.js';
export { ExprError } from './expr-error.js';
export { parseTemplate, type TemplatePart, type ParseTemplateResult } from './parse-template.js';
export {
  compileTemplate, compileJsonTemplate,
  type CompiledTemplate, type RenderOptions, type CompileTemplateResult, type CompileJsonResult, type TemplateError,
} from './compile-template.js';
export { renderDeep } from './render-deep.js';
export { mentions, dependentNames, type AssignedFrom } from './mentions.js';
