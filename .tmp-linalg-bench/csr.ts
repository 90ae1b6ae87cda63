const N = 1000, E = 4742; const src = new Int32Array(E), dst = new Int32Array(E), w = new Float64Array(E);
for (let e = 0; e < E; e++) { const a = Math.floor(Math.random() * (N - 1)); src[e] = a; dst[e] = a + 1 + Math.floor(Math.random() * Math.min(50, N - 1 - a)); w[e] = Math.random(); }
const x = new Float64Array(N).fill(1), y = new Float64Array(N);
function coo() { y.fill(0); for (let k = 0; k < E; k++) { const i = src[k]!, j = dst[k]!, v = w[k]!; y[i] = y[i]! + v * x[j]!; y[j] = y[j]! + v * x[i]!; } }
// CSR build
function build() { const start = new Int32Array(N + 1); for (let k = 0; k < E; k++) { start[src[k]! + 1]!++; start[dst[k]! + 1]!++; } for (let i = 0; i < N; i++) start[i + 1]! += start[i]!; const fill = start.slice(0, N); const col = new Int32Array(2 * E), val = new Float64Array(2 * E); for (let k = 0; k < E; k++) { const i = src[k]!, j = dst[k]!; let p = fill[i]!++; col[p] = j; val[p] = w[k]!; p = fill[j]!++; col[p] = i; val[p] = w[k]!; } return { start, col, val }; }
let t0 = performance.now(); let c; for (let r = 0; r < 1000; r++) c = build(); console.log('build µs', (performance.now() - t0)); 
const { start, col, val } = c!;
function csr() { for (let i = 0; i < N; i++) { let s = 0; const end = start[i + 1]!; for (let p = start[i]!; p < end; p++) s += val[p]! * x[col[p]!]!; y[i] = s; } }
for (let rep = 0; rep < 3; rep++) { t0 = performance.now(); for (let r = 0; r < 10000; r++) coo(); const a = (performance.now() - t0) / 10; t0 = performance.now(); for (let r = 0; r < 10000; r++) csr(); console.log('coo µs', a, 'csr µs', (performance.now() - t0) / 10); }
