// A typed consumer of the package: `tsc -p tests/types` fails if the declarations stop matching
// how the README tells users to call it.
import {
  createPostLoginHandler,
  simulatePostLogin,
  validateConfig,
  createMemoryCache,
  type Config,
  type ConfigInvalidError,
  type PostLoginApi,
  type PostLoginEvent,
  type ReasonCode,
  type IssueCode,
  type ManagementFailureCode,
} from 'login-claims';

const config: Config = {
  phone: { sources: ['profile', 'mfa', 'app_metadata'], mfaEndpoint: 'authentication-methods' },
  accessToken: {
    'https://my-app.example.com/roles': 'authorization.roles',
    'https://my-app.example.com/locale': { path: 'user.user_metadata.locale', allowUserControlled: true },
  },
};

export const onExecutePostLogin = createPostLoginHandler(config, { onError: 'continue', timeoutMs: 1500 });

async function run(event: PostLoginEvent, api: PostLoginApi): Promise<void> {
  await onExecutePostLogin(event, api);
  const result = await simulatePostLogin(event, config, { cache: createMemoryCache() });
  const reasons: ReasonCode[] = result.trace.map((entry) => entry.reason);
  const failures: (ManagementFailureCode | undefined)[] = result.trace.map((entry) => entry.failure);
  void failures;
  const calls: number = result.managementApiCalls;
  const number = result.idToken.phone_number;
  void [reasons, calls, number];
  const checked = validateConfig({ idToken: { roles: 'authorization.roles' } });
  if (!checked.ok) checked.issues.forEach((issue) => issue.fix.toUpperCase());
  try {
    createPostLoginHandler({ phone: false });
  } catch (error) {
    const invalid = error as ConfigInvalidError;
    const codes: IssueCode[] = invalid.issues.map((issue) => issue.code);
    void codes;
  }
}
void run;

// @ts-expect-error onError only takes 'continue' or 'deny'
createPostLoginHandler(undefined, { onError: 'ignore' });
// @ts-expect-error sources are a closed set
const wrong: Config = { phone: { sources: ['sms'] } };
void wrong;
// The codes are string-literal unions generated from the engine catalogue.
const found: ReasonCode = 'phone_found';
// @ts-expect-error no such reason
const invented: ReasonCode = 'phone_invented';
const restricted: IssueCode = 'restricted_claim';
// @ts-expect-error no such issue
const unheard: IssueCode = 'restricted';
const failure: ManagementFailureCode = 'mgmt_unauthorized';
void [found, invented, restricted, unheard, failure];

// Phone-message delivery, as the README and docs/phone-messages.md show it: from its own
// package, and forwarded by login-claims with the same types.
import {
  createSendPhoneMessageHandler,
  createCustomPhoneProviderHandler,
  createVerifyFeedbackHandler,
  type PhoneMessageFailedError,
  type VerifyFeedbackResult,
  type VerifyFailureReason,
  type PhoneMessageRefusalReason,
} from 'login-claims-phone-message';
import { createSendPhoneMessageHandler as forwarded } from 'login-claims';

const sameHandler: typeof createSendPhoneMessageHandler = forwarded;
void sameHandler;
const rateLimited: VerifyFailureReason = 'verify_rate_limited';
// @ts-expect-error no such Verify failure
const throttled: VerifyFailureReason = 'verify_throttled';
const masked: PhoneMessageRefusalReason = 'recipient_invalid';
void [rateLimited, throttled, masked];

export const onExecuteSendPhoneMessage = createSendPhoneMessageHandler({ timeoutMs: 2000 });
export const onExecuteCustomPhoneProvider = createCustomPhoneProviderHandler();
const reportToVerify = createVerifyFeedbackHandler({ maxAgeSeconds: 300 });

export async function chained(event: PostLoginEvent, api: PostLoginApi): Promise<string> {
  await onExecutePostLogin(event, api);
  const outcome: VerifyFeedbackResult = await reportToVerify(event, api);
  try {
    await onExecuteSendPhoneMessage({ message_options: { recipient: '+14155550123', code: '123456', message_type: 'sms' } });
  } catch (error) {
    const failed = error as PhoneMessageFailedError;
    return `${failed.code} ${failed.twilioCode ?? ''}`;
  }
  return outcome.status;
}
