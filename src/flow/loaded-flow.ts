import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { FlowDoc } from './types.js';

/** A flow file that went through the front end (parse -> schema -> checks). */
export interface LoadedFlow {
  /** `id:` or the file name without `.yaml`. */
  id: string;
  /** Absolute path of the YAML file. */
  file: string;
  /** Its folder: prompt files resolve from here. */
  dir: string;
  doc: FlowDoc;
  /** Short content hash of the flow file and the audio it uses: identifies the version serving a call. */
  version: string;
  diagnostics: Diagnostic[];
  /**
   * Each declared variable's CEL type, from its initial value's source text (`0.0` is a double,
   * `0` an int: YAML reads both as the same number). Filled by the front end; the compiler falls
   * back to the values when absent.
   */
  varTypes?: Record<string, 'int' | 'double' | 'string' | 'bool' | 'dyn'>;
}

/** Every flow found under the given paths, by id, plus diagnostics that belong to no single flow. */
export interface FlowSet {
  flows: Map<string, LoadedFlow>;
  diagnostics: Diagnostic[];
}
