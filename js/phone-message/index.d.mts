// The ES-module face of index.d.ts, for `import`.
import * as api from './index.js';

export * from './index.js';
export default api;
