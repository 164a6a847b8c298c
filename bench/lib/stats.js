'use strict';
// Small statistics helpers: every figure in BENCHMARKS.md goes through these.

function sorted(values) {
  return Float64Array.from(values).sort();
}

/** Linear-interpolated quantile, q in [0, 1]. */
function quantile(values, q) {
  const s = sorted(values);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

const median = (values) => quantile(values, 0.5);

/** {median, p10, p90, min, max, n} */
function summary(values) {
  return {
    n: values.length,
    median: median(values),
    p10: quantile(values, 0.1),
    p90: quantile(values, 0.9),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

module.exports = { quantile, median, summary };
