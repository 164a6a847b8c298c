declare namespace wasm_bindgen {
    /* tslint:disable */
    /* eslint-disable */

    /**
     * A validated configuration with its checked options, compiled once and reused by every login.
     *
     * A login crosses once: the shim writes the slots into the buffer `slotBuffer` lends (see
     * [`crate::event`] for the encoding) and calls `decide`, which answers a status number and
     * writes which claims to set, and the phone number, into the buffer `answerBuffer` points at.
     * No JSON and no string crosses on that path.
     */
    export class CompiledConfig {
        free(): void;
        [Symbol.dispose](): void;
        /**
         * The answer buffer's address: one byte per custom claim of the layout (1: set), then the
         * phone number (ASCII). Fixed for the handler's life.
         */
        answerBuffer(): number;
        /**
         * A login from the first `length` bytes of the slot buffer: its status (see [`status`]).
         * With [`status::LOOKUP`], `takeLogin()` hands over the login to drive; with
         * [`status::FAULT`] (slots that cannot be framed, or a length past the buffer) nothing was
         * decided and `takeFault()` says why; otherwise the answer buffer holds the verdict. The
         * trace is built only when `explain` is true. `now_ms` starts the login's deadline.
         *
         * It never throws, so the glue reads a plain number back: no return area, no error slot.
         */
        decide(length: number, explain: boolean, now_ms: number): number;
        /**
         * What the shim needs once, as JSON: `{paths, claims, warnings}`: the paths to read (segment
         * arrays, in slot order), the custom claims (`{token, name, slot}`, in the order of the
         * answer's flags) and the warning lines to log.
         */
        layoutJson(): string;
        /**
         * Compiles configuration JSON (empty text: the default) with the handler's options (the
         * shim has checked the function-valued ones). Throws `OPTIONS_INVALID`, or `CONFIG_INVALID`
         * with every issue.
         */
        constructor(config_json: string, options: any);
        /**
         * The buffer the shim writes a login's slots into, at least `capacity` bytes: its address
         * in the wasm memory. Valid until the next call to this method.
         */
        slotBuffer(capacity: number): number;
        /**
         * Why the last `decide` answered [`status::FAULT`], once; none when it answered anything
         * else.
         */
        takeFault(): string | undefined;
        /**
         * The line to log of the last verdict (with [`status::LOG`]).
         */
        takeLog(): string | undefined;
        /**
         * Whether a login that cannot be decided is denied (`onError: 'deny'`).
         */
        readonly denyOnFault: boolean;
    }

}
declare type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

declare interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_compiledconfig_free: (a: number, b: number) => void;
    readonly compiledconfig_answerBuffer: (a: number) => number;
    readonly compiledconfig_decide: (a: number, b: number, c: number, d: number) => number;
    readonly compiledconfig_denyOnFault: (a: number) => number;
    readonly compiledconfig_layoutJson: (a: number, b: number) => void;
    readonly compiledconfig_new: (a: number, b: number, c: number, d: number) => void;
    readonly compiledconfig_slotBuffer: (a: number, b: number) => number;
    readonly compiledconfig_takeFault: (a: number, b: number) => void;
    readonly compiledconfig_takeLog: (a: number, b: number) => void;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __wbindgen_add_to_stack_pointer: (a: number) => number;
}

declare type SyncInitInput = BufferSource | WebAssembly.Module;

declare namespace wasm_bindgen {
    /**
     * Instantiates the given `module`, which can either be bytes or
     * a precompiled `WebAssembly.Module`.
     *
     * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
     *
     * @returns {InitOutput}
     */
    export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;
}

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
declare function wasm_bindgen (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
