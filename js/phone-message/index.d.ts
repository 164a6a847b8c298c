// Type declarations of the npm package `login-claims-phone-message` (CommonJS; index.d.mts is its
// ES-module face). The declarations themselves are shared with login-claims, which forwards the
// same three functions.
export {
  createSendPhoneMessageHandler,
  createCustomPhoneProviderHandler,
  createVerifyFeedbackHandler,
} from '../action/phone-message';
export type * from '../action/phone-message';
