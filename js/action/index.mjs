// ESM entry: the CommonJS module re-exported, so that require and import share one instance.
import api from './index.js';

export const {
  createPostLoginHandler,
  simulatePostLogin,
  validateConfig,
  createMemoryCache,
  createSendPhoneMessageHandler,
  createCustomPhoneProviderHandler,
  createVerifyFeedbackHandler,
} = api;
export default api;
