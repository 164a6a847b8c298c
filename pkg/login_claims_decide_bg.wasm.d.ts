/* tslint:disable */
/* eslint-disable */
export const memory: WebAssembly.Memory;
export const __wbg_compiledconfig_free: (a: number, b: number) => void;
export const compiledconfig_answerBuffer: (a: number) => number;
export const compiledconfig_decide: (a: number, b: number, c: number, d: number) => number;
export const compiledconfig_denyOnFault: (a: number) => number;
export const compiledconfig_layoutJson: (a: number, b: number) => void;
export const compiledconfig_new: (a: number, b: number, c: number, d: number) => void;
export const compiledconfig_slotBuffer: (a: number, b: number) => number;
export const compiledconfig_takeFault: (a: number, b: number) => void;
export const compiledconfig_takeLog: (a: number, b: number) => void;
export const __wbindgen_malloc: (a: number, b: number) => number;
export const __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
export const __wbindgen_free: (a: number, b: number, c: number) => void;
export const __wbindgen_exn_store: (a: number) => void;
export const __wbindgen_add_to_stack_pointer: (a: number) => number;
