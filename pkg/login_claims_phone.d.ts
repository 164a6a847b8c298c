declare namespace wasm_bindgen {
    /* tslint:disable */
    /* eslint-disable */

    /**
     * A validated configuration, compiled once and reused by every login.
     */
    export class CompiledConfig {
        free(): void;
        [Symbol.dispose](): void;
        /**
         * Second step: `lookup` is `{"ok":true,"methods":[...]}` or `{"ok":false,"reason":"mgmt_..."}`.
         */
        finish(slots: string, lookup: string, explain: boolean): string;
        /**
         * Compiles configuration JSON (empty text: the default). Throws `CONFIG_INVALID` with
         * every issue.
         */
        constructor(config_json: string);
        /**
         * The event paths to read, as a JSON array of segment arrays, in slot order.
         */
        pathsJson(): string;
        /**
         * First step of a login: `{"status":"done", idToken, accessToken, trace, lookupFailed}` or
         * `{"status":"lookup","lookup":{endpoint,userId}}`. The trace is built only when
         * `explain` is true (the simulator); a production login skips that work.
         */
        plan(slots: string, explain: boolean): string;
        /**
         * The warnings of the configuration (a JSON array of issues, usually `[]`): doubts that do
         * not stop the handler; the shim logs them once.
         */
        warningsJson(): string;
    }

    /**
     * Second step, after the Management API lookup (`{"ok":true,"methods":[...]}` or
     * `{"ok":false,"reason":"mgmt_..."}`): `approve` or `skip`. Never throws.
     */
    export function finishVerifyFeedback(lookup: string): string;

    /**
     * Plans a `custom-phone-provider` delivery from `event.notification` as JSON; the same answer
     * as [`plan_send_phone_message`].
     */
    export function planCustomPhoneProvider(notification: string): string;

    /**
     * Plans a `send-phone-message` delivery. `message_options` is `event.message_options` as JSON
     * (`null` when absent); `language` is `event.request.language`. Returns
     * `{"status":"send", to, toRedacted, channel, code, locale, localeDropped}` or
     * `{"status":"refused", reason, detail, message, recipientRedacted}`. Throws `INPUT_INVALID`
     * only when the text is not JSON.
     */
    export function planSendPhoneMessage(message_options: string, language?: string | null): string;

    /**
     * First step of the Verify feedback after a login: `{"status":"approve", to, toRedacted,
     * source}`, `{"status":"lookup","lookup":{endpoint,userId}}` or `{"status":"skip", reason,
     * detail}`. Throws `INPUT_INVALID` when the facts are malformed (a shim bug, not event data).
     */
    export function planVerifyFeedback(facts: string): string;

    /**
     * `{"ok": ..., "issues": [...]}`: every problem of a configuration, errors and warnings; `ok`
     * when none is an error. Never throws.
     */
    export function validateConfig(config_json: string): string;

}
declare type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

declare interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_compiledconfig_free: (a: number, b: number) => void;
    readonly compiledconfig_finish: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => void;
    readonly compiledconfig_new: (a: number, b: number, c: number) => void;
    readonly compiledconfig_pathsJson: (a: number, b: number) => void;
    readonly compiledconfig_plan: (a: number, b: number, c: number, d: number, e: number) => void;
    readonly compiledconfig_warningsJson: (a: number, b: number) => void;
    readonly finishVerifyFeedback: (a: number, b: number, c: number) => void;
    readonly planCustomPhoneProvider: (a: number, b: number, c: number) => void;
    readonly planSendPhoneMessage: (a: number, b: number, c: number, d: number, e: number) => void;
    readonly planVerifyFeedback: (a: number, b: number, c: number) => void;
    readonly validateConfig: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __wbindgen_add_to_stack_pointer: (a: number) => number;
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
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
