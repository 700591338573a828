// Generates tests/data/js_reference.json: values the game's own runtime (V8 via node) produces
// for Date#toISOString, Number#toString, Number#toFixed and Math.round, so that
// inspector_app/core/common/jsfmt.py is checked against JavaScript itself, not against a
// Python re-reading of the spec.
//
//   node tests/data/make_js_reference.mjs > tests/data/js_reference.json
//
// Deterministic (fixed-seed PRNG): re-running produces the same file.
// Non-JSON numbers are written as strings: "NaN", "Infinity", "-Infinity", "-0".
// An input for which JS throws (toISOString on an invalid date) has the result null.

let seed = 0x5eed1234;
function rand() { // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const between = (lo, hi) => lo + rand() * (hi - lo);
const intBetween = (lo, hi) => Math.floor(between(lo, hi + 1));

function enc(x) {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  if (Object.is(x, -0)) return "-0";
  return x;
}

function iso(x) {
  try { return new Date(x).toISOString(); } catch (e) { return null; }
}

const MS_DAY = 86400000;
const LIMIT = 8.64e15;
const utc = (y, m = 0, d = 1) => { const dt = new Date(0); dt.setUTCFullYear(y, m, d); dt.setUTCHours(0, 0, 0, 0); return dt.getTime(); };

// ---- timestamps --------------------------------------------------------------------------
const ts = [];
// edges
for (const x of [0, -0, 1, -1, 0.5, -0.5, 0.999, -0.999, 999.9999, -999.9999, 1762106784700, 1762106784700.9,
  -1762106784700.9, LIMIT, -LIMIT, LIMIT + 1, -LIMIT - 1, LIMIT - 0.5, -LIMIT + 0.5, LIMIT + 0.5, 8.64e15 + 2, 1e16, -1e16,
  1e300, -1e300, Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 2 ** 53, -(2 ** 53), NaN, Infinity, -Infinity,
  Date.UTC(1, 0, 1), utc(0), utc(0) - 1, utc(-1), utc(10000), utc(10000) - 1, utc(9999, 11, 31) + MS_DAY - 1,
  utc(999, 11, 31), utc(1000), utc(1000) - 1, utc(100), utc(99), utc(656, 5, 15) + 12345, utc(1600, 1, 29), utc(1900, 1, 28),
  utc(2000, 1, 29), utc(2100, 1, 28) + MS_DAY, utc(-271821, 3, 20), utc(275760, 8, 13)]) {
  ts.push(x);
}
// every year 0..9999 on a day boundary and one millisecond before it
for (let y = 0; y <= 9999; y += 7) ts.push(utc(y, intBetween(0, 11), intBetween(1, 28)), utc(y) - 1);
// random integers across years 0..9999
for (let i = 0; i < 2000; i++) ts.push(intBetween(utc(0), utc(10000) - 1));
// random with fractional ms, both signs
for (let i = 0; i < 1000; i++) ts.push(between(utc(0), utc(10000)));
// random over the whole JS range (expanded years), integer and fractional
for (let i = 0; i < 800; i++) ts.push(intBetween(-LIMIT, LIMIT));
for (let i = 0; i < 400; i++) ts.push(between(-LIMIT, LIMIT));
// plausible game timestamps (2020..2030) with fractions like performance.now() sums
for (let i = 0; i < 400; i++) ts.push(between(1.577e12, 1.9e12));

const timestamps = ts.map((x) => [enc(x), iso(x)]);

// ---- numbers -----------------------------------------------------------------------------
const ns = [0, -0, 1, -1, 0.1, 0.2 + 0.1, 1e-7, 1.5e-7, 1e-6, 1.234e-6, 6.29e-6, 123e-20, 1e21, 1e21 - 65536 * 2, 1e20,
  1.2345678901234568e20, 1e16, 2 ** 53, 2 ** 53 + 2, 2 ** 60, 2 ** 64, 1.5e300, 5e-324, Number.MAX_VALUE, -Number.MAX_VALUE,
  NaN, Infinity, -Infinity, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 0.49999999999999994, -0.49999999999999994, 1.005, 1.045,
  8.345, 69.9047619047619, 4503599627370495.5, -4503599627370495.5, 1e-5, 0.000001, 0.0000001, 123456789.123456789];
for (let e = -330; e <= 310; e++) ns.push(Number(`1e${e}`), Number(`-3.7e${e}`));
for (let i = 0; i < 1500; i++) ns.push((rand() - 0.5) * 10 ** intBetween(-12, 25));
for (let i = 0; i < 500; i++) ns.push(intBetween(-1e6, 1e6) / 8 + (rand() < 0.5 ? 0 : 0.5)); // many exact halves
for (let i = 0; i < 300; i++) ns.push(Math.round(between(-1e4, 1e4) * 1000) / 1000);

function toFixedAll(x) {
  const out = [];
  for (const d of [0, 1, 2, 3]) out.push(x.toFixed(d));
  return out;
}
const numbers = ns.map((x) => [enc(x), String(x), toFixedAll(x), enc(Math.round(x))]);

process.stdout.write(JSON.stringify({
  generator: "tests/data/make_js_reference.mjs",
  node: process.version,
  timestamps,              // [input, toISOString() or null when it throws]
  numbers,                 // [input, String(x), [toFixed(0..3)], Math.round(x)]
}) + "\n");
