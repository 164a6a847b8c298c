// The ES-module face of js/phone-message/index.js.
import api from './index.js';

export const { createSendPhoneMessageHandler, createCustomPhoneProviderHandler, createVerifyFeedbackHandler } = api;
export default api;
