// Type declarations of the npm package `login-claims` (CommonJS; index.d.mts is the ES-module
// face of the same). Hand-written, except the code unions of ./codes (generated from the engine
// catalogue); checked by `tsc --noEmit` on tests/types/consumer.ts and by attw on the tarball.

import type { IssueCode, ManagementFailureCode, ReasonCode } from './codes';

export type { IssueCode, ManagementFailureCode, ManagementSecretName, ReasonCode } from './codes';

/** A JSON value as a claim can carry it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A custom claim: an event path (`"organization.id"`), or a path with the opt-in for user-writable data. */
export type ClaimSource = string | { path: string; allowUserControlled?: boolean };

export type PhoneSource = 'profile' | 'mfa' | 'app_metadata';

export interface PhonePolicy {
  /** Default true. */
  enabled?: boolean;
  /** Order in which the sources are tried. Default ["profile", "mfa", "app_metadata"]. */
  sources?: PhoneSource[];
  /** Management API endpoint of the `mfa` source. Default "authentication-methods". */
  mfaEndpoint?: 'authentication-methods' | 'enrollments';
  /** Paths inside user.app_metadata. Defaults "phone_number" and "phone_verified". */
  appMetadata?: { number?: string; verified?: string };
  /** ISO 3166-1 alpha-2 code (any case) used to convert numbers stored without `+`. */
  defaultCountry?: string;
  /** Event path holding the user's ISO code; a valid code there wins over defaultCountry. */
  countryPath?: ClaimSource;
}

export interface Config {
  /** Any string; editors use it to find the JSON Schema. */
  $schema?: string;
  /** false turns the phone policy off; true or omitted: the default policy. */
  phone?: boolean | PhonePolicy;
  /** Claim name → event path, set on the ID token. */
  idToken?: Record<string, ClaimSource>;
  /** Claim name → event path, set on the access token (namespaced names for standard OIDC claims). */
  accessToken?: Record<string, ClaimSource>;
}

export interface ConfigIssue {
  /** Stable code, e.g. "restricted_claim", "user_controlled_path". */
  code: IssueCode;
  /** "error": the handler refuses to start; "warning": a doubt, the handler starts. */
  severity: 'error' | 'warning';
  /** Where in the configuration, e.g. `accessToken["roles"]`. */
  at: string;
  /** The claim concerned, when there is one. */
  claim?: string;
  message: string;
  /** How to fix it. */
  fix: string;
}

/** Thrown by createPostLoginHandler for an invalid configuration. */
export interface ConfigInvalidError extends Error {
  code: 'CONFIG_INVALID';
  issues: ConfigIssue[];
}

/** Thrown by createPostLoginHandler for invalid options. */
export interface OptionsInvalidError extends Error {
  code: 'OPTIONS_INVALID';
}

export interface Logger {
  warn?(message: string): void;
  log?(message: string): void;
}

export interface HandlerOptions {
  /** Used for every network call. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Per request, in ms. Default 2500. */
  timeoutMs?: number;
  /** All network work of one login, in ms. Default 5000. */
  deadlineMs?: number;
  /** What a failed Management API lookup does to the login. Default "continue". */
  onError?: 'continue' | 'deny';
  /** Receives at most one line per failure; never a token, secret or full phone number. Default console. */
  logger?: Logger;
  /** Clock in epoch ms (tests). Default Date.now. */
  now?: () => number;
}

export interface CacheEntry {
  value: string;
  expires_at: number;
}

export type CacheSetResult = { type: 'success' } | { type: 'error'; code: string };

/** Auth0's api.cache. */
export interface ActionCache {
  get(key: string): CacheEntry | undefined;
  set(key: string, value: string, options?: { ttl?: number; expires_at?: number }): CacheSetResult;
  delete?(key: string): CacheSetResult;
}

/** The parts of Auth0's post-login `api` this package uses. */
export interface PostLoginApi {
  idToken: { setCustomClaim(name: string, value: unknown): unknown };
  accessToken: { setCustomClaim(name: string, value: unknown): unknown };
  access: { deny(reason: string): unknown };
  cache?: ActionCache;
}

/** The post-login event; only the fields this package reads are typed. */
export interface PostLoginEvent {
  user?: {
    user_id?: string;
    phone_number?: string;
    phone_verified?: boolean;
    app_metadata?: Record<string, unknown>;
    user_metadata?: Record<string, unknown>;
    enrolledFactors?: Array<{ type: string; options?: Record<string, unknown> }>;
    [key: string]: unknown;
  };
  transaction?: { requested_scopes?: string[]; protocol?: string; [key: string]: unknown };
  request?: { body?: Record<string, unknown>; query?: Record<string, unknown>; [key: string]: unknown };
  secrets?: Record<string, string | undefined>;
  [key: string]: unknown;
}

export type Outcome = 'set' | 'skipped' | 'dropped' | 'noted';

export interface TraceEntry {
  token: 'idToken' | 'accessToken';
  claim: string;
  outcome: Outcome;
  /** Stable reason code; see the README. */
  reason: ReasonCode;
  source?: string;
  detail?: string;
  /** Management API failure code, for lookup failures. */
  failure?: ManagementFailureCode;
}

export interface SimulationOptions extends HandlerOptions {
  /** The api.cache to use; default a fresh in-memory cache with Auth0's limits. */
  cache?: ActionCache;
}

export interface SimulationResult {
  idToken: Record<string, JsonValue>;
  accessToken: Record<string, JsonValue>;
  trace: TraceEntry[];
  managementApiCalls: number;
  /** The reason given to api.access.deny, when the login was denied. */
  denied?: string;
}

/**
 * `exports.onExecutePostLogin = createPostLoginHandler(config, options)`.
 * @throws {ConfigInvalidError | OptionsInvalidError} at creation, never during a login with onError "continue".
 */
export function createPostLoginHandler(
  config?: Config,
  options?: HandlerOptions,
): (event: PostLoginEvent, api: PostLoginApi) => Promise<void>;

/** Runs one login through the handler's own path with an in-memory api. */
export function simulatePostLogin(event: PostLoginEvent, config?: Config, options?: SimulationOptions): Promise<SimulationResult>;

/** Checks a configuration; never throws. */
export function validateConfig(config: unknown): {
  /** True when no issue is an error. */
  ok: boolean;
  issues: ConfigIssue[];
  /** Whether the configuration reads the Management API (needs its secrets); absent when ok is false. */
  managementApi?: boolean;
};

/** An in-memory api.cache with Auth0's limits (20 entries, 64-byte keys, 4 kB values). */
export function createMemoryCache(limits?: { maxEntries?: number }): ActionCache;

// Phone-message delivery through Twilio Verify and its post-login feedback.
export * from './phone-message';
