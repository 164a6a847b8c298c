/* tslint:disable */
/* eslint-disable */
export const memory: WebAssembly.Memory;
export const __wbg_compiledconfig_free: (a: number, b: number) => void;
export const compiledconfig_finish: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => void;
export const compiledconfig_new: (a: number, b: number, c: number) => void;
export const compiledconfig_pathsJson: (a: number, b: number) => void;
export const compiledconfig_plan: (a: number, b: number, c: number, d: number, e: number) => void;
export const compiledconfig_warningsJson: (a: number, b: number) => void;
export const validateConfig: (a: number, b: number, c: number) => void;
export const __wbindgen_exn_store: (a: number) => void;
export const __wbindgen_add_to_stack_pointer: (a: number) => number;
export const __wbindgen_malloc: (a: number, b: number) => number;
export const __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
export const __wbindgen_free: (a: number, b: number, c: number) => void;
