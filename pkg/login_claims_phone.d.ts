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
         * A login, for tools and tests: the decision as JSON text (`{idToken, accessToken, trace,
         * lookupFailed, log?, deny?}`, the claims with their values) when the event decides it,
         * else a `Login` machine to drive. `slots` are encoded as for `decide`.
         */
        plan(slots: Uint8Array | number[], explain: boolean, now_ms: number): any;
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
         * The login `decide` answered `status.LOOKUP` for.
         */
        takeLogin(): Login;
        /**
         * The trace of the last verdict, as JSON (empty unless it was asked for with `explain`).
         */
        traceJson(): string;
        /**
         * Whether a login that cannot be decided is denied (`onError: 'deny'`).
         */
        readonly denyOnFault: boolean;
    }

    /**
     * One delivery: the steps of the Verify call, then what to tell Auth0.
     */
    export class Delivery {
        private constructor();
        free(): void;
        [Symbol.dispose](): void;
        /**
         * What `api.cache.get` returned.
         */
        cached(entry: any): void;
        /**
         * The next step: `{kind: 'secrets' | 'send' | 'wait' | 'cacheGet' | 'cacheSet' |
         * 'cacheDelete' | 'done', ...}`.
         */
        next(now_ms: number): any;
        /**
         * `{level, line, error?}` once done.
         */
        outcome(): any;
        /**
         * The outcome of the request asked for.
         */
        received(outcome: any): void;
        /**
         * The secrets asked for, in order.
         */
        secrets(values: any): void;
    }

    /**
     * The feedback after one login: maybe a Management API lookup, then maybe one approval.
     */
    export class Feedback {
        private constructor();
        free(): void;
        [Symbol.dispose](): void;
        /**
         * Gives up: `{level, line, result}` of a feedback that took too long.
         */
        abandon(): any;
        /**
         * What `api.cache.get` returned.
         */
        cached(entry: any): void;
        /**
         * The next step: `{kind: 'secrets' | 'send' | 'wait' | 'cacheGet' | 'cacheSet' |
         * 'cacheDelete' | 'done', ...}`.
         */
        next(now_ms: number): any;
        /**
         * `{level, line?, result}` once done.
         */
        outcome(): any;
        /**
         * The outcome of the request asked for.
         */
        received(outcome: any): void;
        /**
         * The secrets asked for, in order.
         */
        secrets(values: any): void;
    }

    /**
     * A login waiting for its Management API lookup: `next(now)` answers the step to perform.
     */
    export class Login {
        private constructor();
        free(): void;
        [Symbol.dispose](): void;
        /**
         * What `api.cache.get` returned.
         */
        cached(entry: any): void;
        /**
         * The decision as JSON text, with the claims' values, once `next` answered `done`.
         */
        decision(): string;
        /**
         * The next step: `{kind: 'secrets' | 'send' | 'wait' | 'cacheGet' | 'cacheSet' |
         * 'cacheDelete' | 'done', ...}`.
         */
        next(now_ms: number): any;
        /**
         * The outcome of the request asked for.
         */
        received(outcome: any): void;
        /**
         * Requests sent.
         */
        requests(): number;
        /**
         * The secrets asked for, in order.
         */
        secrets(values: any): void;
        /**
         * Once `next` answered `done`: the status, with the verdict in the handler's answer buffer
         * (read it before the handler's next login), as `decide` answers.
         */
        verdict(): number;
    }

    /**
     * The Management API lookup alone (the machine a `Login` drives), for tools and tests.
     */
    export class ManagementLookup {
        free(): void;
        [Symbol.dispose](): void;
        /**
         * What `api.cache.get` returned.
         */
        cached(entry: any): void;
        /**
         * `endpoint` is `authentication-methods` or `enrollments`; the budget is checked like the
         * handler's options (`INPUT_INVALID` otherwise).
         */
        constructor(endpoint: string, user_id: string, timeout_ms: number, deadline_ms: number);
        /**
         * The next step: `{kind: 'secrets' | 'send' | 'wait' | 'cacheGet' | 'cacheSet' |
         * 'cacheDelete' | 'done', ...}`.
         */
        next(now_ms: number): any;
        /**
         * The outcome of the request asked for.
         */
        received(outcome: any): void;
        /**
         * `{ok: true, methods, requests}` or `{ok: false, reason, detail, requests}` once done;
         * `undefined` before.
         */
        report(): any;
        /**
         * The secrets asked for, in order.
         */
        secrets(values: any): void;
    }

    /**
     * The options of one phone-message handler, checked.
     */
    export class PhoneMessageHandler {
        free(): void;
        [Symbol.dispose](): void;
        /**
         * A delivery from the trigger's fields (JSON text; `null` when absent) and, for
         * send-phone-message, `event.request.language`.
         */
        deliver(fields: string, language: string | null | undefined, now_ms: number): Delivery;
        /**
         * The feedback after a login, from its facts (JSON text).
         */
        feedback(facts: string, now_ms: number): Feedback;
        /**
         * What the feedback says when the shim failed (`what` names the error's code or name).
         */
        internalError(what: string): any;
        /**
         * `kind` is `send-phone-message`, `custom-phone-provider` or `verify-feedback`. Throws
         * `OPTIONS_INVALID` for options that are not what the handler takes.
         */
        constructor(kind: string, options: any);
        /**
         * How long the shim waits for a feedback before abandoning it, in ms.
         */
        readonly guardMs: number;
    }

    /**
     * Every code and name the package documents, from the one place each is defined: reason codes,
     * configuration issue codes, Management API and Verify failures with their explanations, the
     * options with their defaults, the secrets read. JSON text; for the CLI, the README's tests and
     * generated types.
     */
    export function catalogue(): string;

    /**
     * Forgets every Management API token held in this module's memory, as if the Action instance
     * had just started (the playground shows every case as a fresh instance; tests start clean).
     */
    export function resetTokenMemory(): void;

    /**
     * `{"ok": ..., "issues": [...], "managementApi"?: ...}`: every problem of a configuration,
     * errors and warnings. Never throws.
     */
    export function validateConfig(config_json: string): string;

}
declare type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

declare interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_compiledconfig_free: (a: number, b: number) => void;
    readonly __wbg_delivery_free: (a: number, b: number) => void;
    readonly __wbg_feedback_free: (a: number, b: number) => void;
    readonly __wbg_login_free: (a: number, b: number) => void;
    readonly __wbg_managementlookup_free: (a: number, b: number) => void;
    readonly __wbg_phonemessagehandler_free: (a: number, b: number) => void;
    readonly catalogue: (a: number) => void;
    readonly compiledconfig_answerBuffer: (a: number) => number;
    readonly compiledconfig_decide: (a: number, b: number, c: number, d: number) => number;
    readonly compiledconfig_denyOnFault: (a: number) => number;
    readonly compiledconfig_layoutJson: (a: number, b: number) => void;
    readonly compiledconfig_new: (a: number, b: number, c: number, d: number) => void;
    readonly compiledconfig_plan: (a: number, b: number, c: number, d: number, e: number, f: number) => void;
    readonly compiledconfig_slotBuffer: (a: number, b: number) => number;
    readonly compiledconfig_takeFault: (a: number, b: number) => void;
    readonly compiledconfig_takeLog: (a: number, b: number) => void;
    readonly compiledconfig_takeLogin: (a: number, b: number) => void;
    readonly compiledconfig_traceJson: (a: number, b: number) => void;
    readonly delivery_cached: (a: number, b: number) => void;
    readonly delivery_next: (a: number, b: number) => number;
    readonly delivery_outcome: (a: number) => number;
    readonly delivery_received: (a: number, b: number) => void;
    readonly delivery_secrets: (a: number, b: number) => void;
    readonly feedback_abandon: (a: number) => number;
    readonly feedback_cached: (a: number, b: number) => void;
    readonly feedback_next: (a: number, b: number) => number;
    readonly feedback_outcome: (a: number) => number;
    readonly feedback_received: (a: number, b: number) => void;
    readonly feedback_secrets: (a: number, b: number) => void;
    readonly login_cached: (a: number, b: number) => void;
    readonly login_decision: (a: number, b: number) => void;
    readonly login_next: (a: number, b: number) => number;
    readonly login_received: (a: number, b: number) => void;
    readonly login_requests: (a: number) => number;
    readonly login_secrets: (a: number, b: number) => void;
    readonly login_verdict: (a: number, b: number) => void;
    readonly managementlookup_cached: (a: number, b: number) => void;
    readonly managementlookup_new: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => void;
    readonly managementlookup_next: (a: number, b: number) => number;
    readonly managementlookup_received: (a: number, b: number) => void;
    readonly managementlookup_report: (a: number) => number;
    readonly managementlookup_secrets: (a: number, b: number) => void;
    readonly phonemessagehandler_deliver: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => void;
    readonly phonemessagehandler_feedback: (a: number, b: number, c: number, d: number) => number;
    readonly phonemessagehandler_guardMs: (a: number) => number;
    readonly phonemessagehandler_internalError: (a: number, b: number, c: number) => number;
    readonly phonemessagehandler_new: (a: number, b: number, c: number, d: number) => void;
    readonly resetTokenMemory: () => void;
    readonly validateConfig: (a: number, b: number, c: number) => void;
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
