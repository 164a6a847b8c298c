// The ES-module face of index.d.ts, for `import` (index.mjs re-exports the CommonJS module, so
// both share one instance and these types).
import * as api from './index.js';

export * from './index.js';
export default api;
