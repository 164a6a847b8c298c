// Type declarations of the phone-message handlers (Twilio Verify delivery and its post-login
// feedback), of login-claims-phone-message (js/phone-message/index.d.ts) and of the functions
// login-claims forwards to it. Hand-written, except the unions of ./codes.

import type { ActionCache, Logger, PostLoginEvent } from './index';
import type { PhoneMessageRefusalReason, VerifyFailureReason } from './codes';

export type { PhoneMessageRefusalReason, VerifyFailureReason, VerifySecretName } from './codes';

export interface PhoneMessageOptions {
  /** Used for every network call. Default: the global fetch. */
  fetch?: typeof fetch;
  /** Per request, in ms. Default 3000 (feedback: 1000). */
  timeoutMs?: number;
  /** All requests of one execution, in ms. Default 8000 (feedback: 1500). */
  deadlineMs?: number;
  /** One line per outcome: warn() for failures, log() otherwise. Never the code, the auth token or a full number. Default console. */
  logger?: Logger;
  /** Clock in epoch ms (tests). Default Date.now. */
  now?: () => number;
  /** An origin: https, or http only to a loopback host (a local stand-in). Default "https://verify.twilio.com". */
  verifyBaseUrl?: string;
}

export interface VerifyFeedbackOptions extends PhoneMessageOptions {
  /** How recent (in seconds, 1 to 86400) the phone factor must be to count as this login's. Default 600. */
  maxAgeSeconds?: number;
  /** Management API endpoint for the MFA enrollment. Default "authentication-methods". */
  mfaEndpoint?: 'authentication-methods' | 'enrollments';
}

/** The secrets the handlers read. */
export interface TwilioVerifySecrets {
  TWILIO_ACCOUNT_SID?: string;
  TWILIO_AUTH_TOKEN?: string;
  TWILIO_VERIFY_SID?: string;
  [key: string]: string | undefined;
}

/** The send-phone-message event; only the fields the handler reads are typed. */
export interface SendPhoneMessageEvent {
  message_options?: {
    action?: 'enrollment' | 'second-factor-authentication' | (string & {});
    code?: string;
    message_type?: 'sms' | 'voice' | (string & {});
    recipient?: string;
    text?: string;
    [key: string]: unknown;
  };
  request?: { language?: string; [key: string]: unknown };
  secrets?: TwilioVerifySecrets;
  [key: string]: unknown;
}

/** The custom-phone-provider event; only the fields the handler reads are typed. */
export interface CustomPhoneProviderEvent {
  notification?: {
    recipient?: string;
    code?: string;
    delivery_method?: 'text' | 'voice' | (string & {});
    locale?: string;
    message_type?: 'otp_verify' | 'otp_enroll' | (string & {});
    as_text?: string;
    as_voice?: string;
    [key: string]: unknown;
  };
  secrets?: TwilioVerifySecrets;
  [key: string]: unknown;
}

/** The parts of a phone-message trigger's `api` the handlers accept (they use none). */
export interface PhoneMessageApi {
  cache?: ActionCache;
}

/** Thrown when a message is refused before anything is sent. */
export interface PhoneMessageRefusedError extends Error {
  code: 'PHONE_MESSAGE_REFUSED';
  reason: PhoneMessageRefusalReason;
  /** For recipient_invalid: the phone reason, e.g. "phone_masked", "phone_has_extension". */
  detail?: string;
}

/** Thrown when Twilio Verify did not take the message, so that Auth0 records a failed delivery. */
export interface PhoneMessageFailedError extends Error {
  code: 'PHONE_MESSAGE_FAILED';
  reason: VerifyFailureReason;
  /** Twilio's error code, when it gave one (e.g. 60200, 60203, 60410, 20003). */
  twilioCode?: number;
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** https://www.twilio.com/docs/errors/{twilioCode} */
  moreInfo?: string;
}

/**
 * `exports.onExecuteSendPhoneMessage = createSendPhoneMessageHandler(options)`.
 * @throws {import('./index').OptionsInvalidError} at creation.
 * The handler rejects with PhoneMessageRefusedError or PhoneMessageFailedError.
 */
export function createSendPhoneMessageHandler(
  options?: PhoneMessageOptions,
): (event: SendPhoneMessageEvent, api?: PhoneMessageApi) => Promise<void>;

/**
 * `exports.onExecuteCustomPhoneProvider = createCustomPhoneProviderHandler(options)`.
 * @throws {import('./index').OptionsInvalidError} at creation.
 * The handler rejects with PhoneMessageRefusedError or PhoneMessageFailedError.
 */
export function createCustomPhoneProviderHandler(
  options?: PhoneMessageOptions,
): (event: CustomPhoneProviderEvent, api?: PhoneMessageApi) => Promise<void>;

/** The post-login event as the feedback reads it. */
export interface VerifyFeedbackEvent extends PostLoginEvent {
  authentication?: {
    methods?: Array<{ name: string; timestamp?: string; type?: string; [key: string]: unknown }>;
    [key: string]: unknown;
  };
}

interface FeedbackCounts {
  managementApiCalls: number;
  verifyCalls: number;
}

export type VerifyFeedbackResult =
  | (FeedbackCounts & {
      status: 'approved';
      source: 'passwordless_sms' | 'mfa_phone';
      /** "…" and the last 4 digits. */
      to: string;
      /** The Verification SID (VE…). */
      sid?: string;
    })
  | (FeedbackCounts & {
      status: 'skipped';
      /** e.g. "no_phone_factor", "factor_not_recent", "refresh_token", "verify_nothing_pending", "lookup_failed", "enrollment_number_invalid". */
      reason: string;
      detail?: string;
      source?: 'passwordless_sms' | 'mfa_phone';
      to?: string;
    })
  | (FeedbackCounts & {
      status: 'failed';
      /** A VerifyFailureReason, or "deadline" / "internal_error". */
      reason: string;
      detail: string;
      twilioCode?: number;
      source?: 'passwordless_sms' | 'mfa_phone';
      to?: string;
    });

/**
 * A post-login handler that posts Status=approved to Twilio Verify after a login that used an
 * SMS or voice code. Never rejects; never takes longer than `deadlineMs`.
 * @throws {import('./index').OptionsInvalidError} at creation.
 */
export function createVerifyFeedbackHandler(
  options?: VerifyFeedbackOptions,
): (event: VerifyFeedbackEvent, api?: { cache?: ActionCache }) => Promise<VerifyFeedbackResult>;
