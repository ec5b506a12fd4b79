// The Hopfield explorer's page. Drawing, plotting and bookkeeping happen here; every
// computation (recall with its per-step energy and overlaps, generators, noise, the
// weight image, the course page's first two cells) is asked of the hopfield binary
// through its JSON API (docs/api.md). The whole setup lives in the address bar.
'use strict';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed',
  '#0891b2', '#db2777', '#65a30d', '#9333ea', '#ea580c'];
const CELL = { on: '#1e293b', off: '#ffffff', unknown: '#b8c2d1', line: '#e2e8f0', strong: '#000000', weak: '#64748b' };
const COLD_LIMIT = 1000;       // sweeps before a deterministic run is called unconverged
const HISTORY = 20000;         // points kept in the plots
const $ = (id) => document.getElementById(id);

const S = {
  mode: 'memory',             // 'memory', or the first two cells: 'simulate', 'crosstalk'
  rows: 10, cols: 10,
  state: new Int8Array(100).fill(-1),
  cue: null,                  // the state a run started from, for Reset
  patterns: [],               // {values: Int8Array, label: string}
  hist: { t: [], e: [], m: [] },
  clock: 0,                   // steps taken, in sweeps (a sync step or a sweep is 1, an async update 1/N)
  changedAt: 0,               // the clock at the last change
  mean: null,                 // {sums, count} of the overlaps at T > 0
  seen: new Map(),            // states of a synchronous Step run, for cycles
  playing: false,
  busy: false,
  seed: 1,                    // the run's seed; chunk k of a run uses seed·1000 + k
  chunk: 0,
  label: null,
  cursor: null,
  hit: null,
  weightsFor: '',
  sim: null,                  // the first cell's run
  cross: null,                // the second cell's samples
  preset: '',
  generated: 0,               // random patterns generated, for their seeds
};

// ------------------------------------------------------------------------------- API

async function api(path, body) {
  let response;
  try {
    response = await fetch(path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new Error('the server does not answer: is hopfield serve still running?');
  }
  let data = null;
  try { data = await response.json(); } catch (e) { data = null; }
  if (!response.ok) throw new Error((data && data.error) || `HTTP ${response.status}`);
  return data;
}

const n = () => S.rows * S.cols;
const dynamics = () => $('dynamics').value;
const model = () => $('model').value;
const rule = () => $('rule').value;
const temperature = () => (model() === 'classical' ? Number($('temperature').value) : 0);
const hot = () => temperature() > 0;
const stepLength = () => (dynamics() === 'async' && model() !== 'modern' ? 1 / n() : 1);
const num = (id) => { const v = $(id).value.trim(); return v === '' ? null : Number(v); };

// The memory as the API takes it: model, or rule with its options.
function memoryFields() {
  const body = {};
  const m = model();
  if (m !== 'classical') {
    body.model = m;
    if (m === 'dense' || m === 'rectified') body.degree = Math.round(num('degree') ?? 3);
    else body.beta = num('beta') ?? 1;
    return body;
  }
  const r = rule();
  body.rule = r;
  if ((r === 'hebb' || r === 'outer01') && $('normalization').value) body.normalization = $('normalization').value;
  if (r === 'perceptron') {
    body.kappa = num('kappa') ?? 0.5;
    body.max_epochs = Math.round(num('epochs') ?? 1000);
  }
  if (r === 'covariance' && num('activity') !== null) body.activity = num('activity');
  const c = num('dilution');
  if (c !== null && c < 1) { body.dilution = c; body.dilution_seed = S.seed; }
  return body;
}

function network() {
  const body = Object.assign({ patterns: S.patterns.map((p) => Array.from(p.values)), tie: $('tie').value }, memoryFields());
  const theta = num('threshold');
  if (model() === 'classical' && theta !== null && Number.isFinite(theta)) body.threshold = theta;
  return body;
}

// ------------------------------------------------------------------------- status

function status(text, kind) {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', kind === 'error');
}

function fail(e) { status(e.message || String(e), 'error'); }

function setOutcome(name, detail, text) {
  const el = $('outcome');
  el.textContent = text || name;
  el.className = 'badge ' + (name || 'idle');
  S.hit = detail !== undefined && detail !== null && (name === 'recalled' || name === 'reversed') ? detail : null;
  renderThumbs();
}

const label = (k) => `pattern ${k + 1}${S.patterns[k] ? ` (${S.patterns[k].label})` : ''}`;
const unit = () => (dynamics() === 'sync' || model() === 'modern' ? 'step' : 'sweep');
function when(t) {
  if (dynamics() === 'async' && model() !== 'modern') {
    const updates = Math.round(t * n());
    return `after ${updates} update${updates === 1 ? '' : 's'} (${fmtTime(t)} sweeps)`;
  }
  return `after ${fmtTime(t)} ${unit()}${t === 1 ? '' : 's'}`;
}

function overlapsText(m) {
  if (!m || !S.patterns.length) return '';
  const parts = S.patterns.slice(0, 6).map((p, k) => `${k + 1} (${p.label}) ${signed(m[k])}`);
  if (S.patterns.length > 6) parts.push('…');
  return ` Overlaps: ${parts.join(', ')}.`;
}

const signed = (v) => (v >= 0 ? '+' : '−') + Math.abs(v).toFixed(2);

function describe(r, t) {
  const at = when(t);
  let text;
  switch (r.outcome) {
    case 'recalled': text = `Recalled ${label(r.pattern)} ${at}.`; break;
    case 'reversed': text = `Settled on the reversal of ${label(r.pattern)} ${at}: −ξ is an attractor too.`; break;
    case 'mixture': text = `Settled on a mixture of three stored patterns ${at}.`; break;
    case 'spurious': text = `Settled on a spurious state ${at}: a fixed point that is no stored pattern.`; break;
    case 'cycle': text = `Entered a ${r.description} ${at} (synchronous updates can oscillate).`; break;
    default: text = `Not settled ${at}.`;
  }
  const cap = capacity();
  if ((r.outcome === 'spurious' || r.outcome === 'mixture') && cap && cap.alpha > cap.limit) {
    text += ` The load α = ${fmtAlpha(cap.alpha)} is past ${cap.name}'s capacity (α ≈ ${cap.limit.toFixed(3)}): the stored patterns are no longer stable, and runs end in spurious states.`;
  }
  const last = S.hist.m[S.hist.m.length - 1];
  return text + overlapsText(last || r.overlaps[r.overlaps.length - 1]);
}

function fmtTime(t) {
  return Number.isInteger(t) ? String(t) : t.toFixed(2);
}

// --------------------------------------------------------------------------- grid

const grid = $('grid');
const gctx = grid.getContext('2d');
const narrow = () => window.innerWidth <= 760;

// The cell size: the grid fills its column, and leaves room below it for the controls of
// the run (and, on a narrow screen, for the plots) within the window's height.
function gridGeometry() {
  const cols = S.mode === 'simulate' ? S.sim.states.length : S.cols;
  const rows = S.mode === 'simulate' ? S.sim.n : S.rows;
  const wrap = $('grid-wrap');
  const width = Math.min(wrap.clientWidth || 400, 560) - 1;
  const top = wrap.getBoundingClientRect().top + window.scrollY;
  const reserve = narrow() ? 150 + 2 * (parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--plot-h')) + 34) : 120;
  const height = Math.max(120, window.innerHeight - top - reserve);
  if (S.mode === 'simulate') {
    // The raster: time across in thin columns, neurons down in rows of a readable height.
    return { cell: Math.max(1, Math.floor(width / cols)), cellH: Math.max(4, Math.min(14, Math.floor(height / rows))), rows, cols };
  }
  const cell = Math.max(2, Math.min(Math.floor(width / cols), Math.floor(height / rows)));
  return { cell, cellH: cell, rows, cols };
}

function cellColor(v) {
  if (v >= 2) return CELL.strong;
  if (v === 1) return CELL.on;
  if (v === 0) return CELL.unknown;
  return CELL.off;
}

function drawGrid() {
  const { cell, cellH, rows, cols } = gridGeometry();
  const gap = cell >= 8 && S.mode !== 'simulate' ? 1 : 0;
  const w = cell * cols + gap, h = cellH * rows + gap;
  const dpr = window.devicePixelRatio || 1;
  if (grid.width !== w * dpr || grid.height !== h * dpr) {
    grid.width = w * dpr; grid.height = h * dpr;
    grid.style.width = w + 'px'; grid.style.height = h + 'px';
  }
  gctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  gctx.fillStyle = gap ? CELL.line : CELL.off;
  gctx.fillRect(0, 0, w, h);
  if (S.mode === 'simulate') {
    // The page's raster: neurons down, time across; columns appear as the run plays.
    const shown = S.sim.shown;
    for (let k = 0; k <= shown; k++) {
      const st = S.sim.states[k];
      for (let i = 0; i < S.sim.n; i++) {
        gctx.fillStyle = st[i] ? CELL.on : '#eef2f7';
        gctx.fillRect(k * cell, i * cellH, cell, cellH - 1);
      }
    }
    grid.dataset.state = S.sim.states[shown].join('');
    grid.setAttribute('aria-label', `Raster of ${S.sim.n} neurons: after update ${shown}, ${S.sim.on[shown]} of ${S.sim.n} are on.`);
    $('time').textContent = `update ${shown} of ${S.sim.states.length - 1}`;
    return;
  }
  const values = S.state;
  for (let r = 0; r < S.rows; r++) {
    for (let c = 0; c < S.cols; c++) {
      gctx.fillStyle = cellColor(values[r * S.cols + c]);
      gctx.fillRect(c * cell + gap, r * cell + gap, cell - gap, cell - gap);
    }
  }
  if (S.cursor !== null && document.activeElement === grid) {
    const r = Math.floor(S.cursor / S.cols), c = S.cursor % S.cols;
    gctx.strokeStyle = '#f59e0b';
    gctx.lineWidth = 2;
    gctx.strokeRect(c * cell + 1, r * cell + 1, cell - 1, cell - 1);
  }
  // A text form of the grid for tests and assistive tools: rows of # (on), . (off), ? (unknown).
  grid.dataset.state = stateText(values);
  const on = values.reduce((a, v) => a + (v > 0 ? 1 : 0), 0);
  const unknown = values.reduce((a, v) => a + (v === 0 ? 1 : 0), 0);
  grid.setAttribute('aria-label', `Neuron grid, ${S.rows} × ${S.cols}: ${on} of ${n()} neurons on` +
    (unknown ? `, ${unknown} unknown` : '') + `, at t = ${fmtTime(S.clock)}.` +
    overlapsText(S.hist.m[S.hist.m.length - 1]));
  $('time').textContent = `t = ${fmtTime(S.clock)}`;
}

function stateText(values) {
  const rows = [];
  for (let r = 0; r < S.rows; r++) {
    let line = '';
    for (let c = 0; c < S.cols; c++) {
      const v = values[r * S.cols + c];
      line += v > 0 ? '#' : v < 0 ? '.' : '?';
    }
    rows.push(line);
  }
  return rows.join('/');
}

function cellAt(ev) {
  const rect = grid.getBoundingClientRect();
  const { cell } = gridGeometry();
  const c = Math.floor((ev.clientX - rect.left) / cell);
  const r = Math.floor((ev.clientY - rect.top) / cell);
  if (r < 0 || c < 0 || r >= S.rows || c >= S.cols) return null;
  return [r, c];
}

let paint = null;   // {value, last: [r, c]} while drawing

grid.addEventListener('contextmenu', (ev) => ev.preventDefault());
grid.addEventListener('pointerdown', (ev) => {
  if (S.mode !== 'memory') return;
  const at = cellAt(ev);
  if (!at) return;
  stopPlaying();
  const k = at[0] * S.cols + at[1];
  const erase = ev.shiftKey || ev.button === 2;
  const value = erase ? -1 : S.state[k] > 0 ? -1 : 1;
  paint = { value, last: at };
  grid.setPointerCapture(ev.pointerId);
  S.state[k] = value;
  drawGrid();
  ev.preventDefault();
});
grid.addEventListener('pointermove', (ev) => {
  if (!paint) return;
  const at = cellAt(ev);
  if (!at) return;
  line(paint.last, at, (r, c) => { S.state[r * S.cols + c] = paint.value; });
  paint.last = at;
  drawGrid();
});
function endPaint() {
  if (!paint) return;
  paint = null;
  S.label = null;
  edited('Drawn. Store it, or draw more.');
}
grid.addEventListener('pointerup', endPaint);
grid.addEventListener('pointercancel', endPaint);
grid.addEventListener('focus', () => { if (S.cursor === null) S.cursor = 0; drawGrid(); });
grid.addEventListener('blur', drawGrid);
grid.addEventListener('keydown', (ev) => {
  if (S.mode !== 'memory') return;
  const moves = { ArrowLeft: [0, -1], ArrowRight: [0, 1], ArrowUp: [-1, 0], ArrowDown: [1, 0] };
  if (S.cursor === null) S.cursor = 0;
  let r = Math.floor(S.cursor / S.cols), c = S.cursor % S.cols;
  if (moves[ev.key]) {
    r = Math.min(S.rows - 1, Math.max(0, r + moves[ev.key][0]));
    c = Math.min(S.cols - 1, Math.max(0, c + moves[ev.key][1]));
    S.cursor = r * S.cols + c;
    drawGrid();
    ev.preventDefault();
    ev.stopPropagation();
  } else if (ev.key === 'Enter') {
    S.state[S.cursor] = S.state[S.cursor] > 0 ? -1 : 1;
    S.label = null;
    edited(`Cell (${r + 1}, ${c + 1}) is now ${S.state[S.cursor] > 0 ? 'on' : 'off'}.`);
    ev.preventDefault();
    ev.stopPropagation();
  }
});

// Bresenham's line, so that a fast drag leaves no gaps.
function line([r0, c0], [r1, c1], set) {
  const dr = Math.abs(r1 - r0), dc = Math.abs(c1 - c0);
  const sr = r0 < r1 ? 1 : -1, sc = c0 < c1 ? 1 : -1;
  let err = dc - dr;
  for (;;) {
    set(r0, c0);
    if (r0 === r1 && c0 === c1) break;
    const e2 = 2 * err;
    if (e2 > -dr) { err -= dr; c0 += sc; }
    if (e2 < dc) { err += dc; r0 += sr; }
  }
}

// The state changed by hand or by a generator: a new run starts from here.
function edited(message) {
  stopPlaying();
  leaveMode();
  resetHistory();
  S.cue = null;
  setOutcome('ready');
  drawGrid();
  drawPlots();
  saveUrl();
  if (message) status(message);
}

function resetHistory() {
  S.hist = { t: [], e: [], m: [] };
  S.clock = 0;
  S.changedAt = 0;
  S.mean = null;
  S.seen = new Map();
  S.chunk = 0;
  explain();
}

// ------------------------------------------------------------------------- memory

// α = P/N against the capacity of the rule or model in use.
function capacity() {
  const p = S.patterns.length;
  if (!p) return null;
  const N = n(), alpha = p / N;
  const m = model();
  const dense = (deg) => {
    let dfact = 1;
    for (let k = 2 * deg - 3; k > 1; k -= 2) dfact *= k;
    return Math.pow(N, deg - 1) / (2 * dfact * Math.log(N)) / N;
  };
  if (m === 'dense' || m === 'rectified') {
    const deg = Math.round(num('degree') ?? 3);
    return { alpha, limit: dense(deg), name: `the dense model of degree ${deg}`, note: 'about N^(n−1) / (2 (2n−3)!! ln N) patterns' };
  }
  if (m === 'exponential') return { alpha, limit: Math.pow(2, N / 2) / N, name: 'the exponential model', note: 'exponentially many patterns, about 2^(N/2)' };
  if (m === 'modern') return { alpha, limit: Math.exp(N / 4) / N, name: 'the modern network', note: 'exponentially many well-separated patterns' };
  const c = Math.min(1, num('dilution') ?? 1);
  const diluted = c < 1 ? ` × c = ${c}` : '';
  switch (rule()) {
    case 'outer01': return { alpha, limit: 1 / N, name: "the page's 0/1 rule", note: 'every weight is ≥ 0: it cannot tell two patterns apart' };
    case 'storkey': return { alpha, limit: c / Math.sqrt(2 * Math.log(N)), name: "Storkey's rule", note: `α ≈ 1/√(2 ln N)${diluted}` };
    case 'pseudo-inverse': return { alpha, limit: c * 1, name: 'the pseudo-inverse rule', note: `every pattern a fixed point while P < N${diluted}` };
    case 'perceptron': {
      const kappa = Math.max(0, num('kappa') ?? 0.5);
      return { alpha, limit: c * gardner(kappa), name: 'perceptron learning', note: `Gardner's bound at κ = ${kappa}${diluted}` };
    }
    case 'covariance': {
      const a = activity();
      const limit = Math.max(0.138, a > 0 && a < 0.5 ? 1 / (2 * a * Math.abs(Math.log(a))) : 0.138);
      return { alpha, limit: c * limit, name: 'the covariance rule', note: `α ≈ 1/(2a |ln a|) for sparse patterns, a = ${a.toFixed(2)}${diluted}` };
    }
    default: return { alpha, limit: c * 0.138, name: "Hebb's rule", note: c < 1 ? `diluted: about 0.138${diluted}` : 'Amit, Gutfreund & Sompolinsky' };
  }
}

// Gardner's capacity at margin κ: 1 / ∫_{−κ}^∞ Dt (t + κ)².
function gardner(kappa) {
  let sum = 0;
  const h = 0.001;
  for (let t = -kappa; t < 10; t += h) {
    const g = Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    sum += g * (t + kappa) * (t + kappa) * h;
  }
  return 1 / sum;
}

function activity() {
  const a = num('activity');
  if (a !== null) return a;
  let on = 0, all = 0;
  for (const p of S.patterns) for (const v of p.values) { on += v > 0 ? 1 : 0; all++; }
  return all ? on / all : 0.5;
}

function fmtAlpha(a) {
  return a >= 0.001 ? a.toFixed(3) : fmtTick(a, a / 10);
}

function showCapacity() {
  const el = $('capacity');
  const cap = capacity();
  el.hidden = !cap;
  if (!cap) return;
  el.textContent = '';
  const b = document.createElement('b');
  b.textContent = `α = P/N = ${S.patterns.length}/${n()} = ${fmtAlpha(cap.alpha)}`;
  const over = document.createElement('span');
  const fmt = (v) => (v >= 1000 ? v.toExponential(1).replace('e+', '·10^') : v.toFixed(3));
  over.textContent = cap.alpha > cap.limit ? ' — past capacity' : '';
  over.className = 'over';
  const own = cap.name === "Hebb's rule" ? '' : ` · ${cap.name}: α ≈ ${fmt(cap.limit)}`;
  el.append(b, over, ` · Hebb's capacity α_c ≈ 0.138${own} (${cap.note}).`);
}

function renderThumbs() {
  const ul = $('thumbs');
  ul.textContent = '';
  S.patterns.forEach((p, k) => {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'thumb' + (S.hit === k ? ' hit' : '');
    b.style.borderColor = COLORS[k % COLORS.length];
    b.title = `Load pattern ${k + 1} (${p.label}) into the grid`;
    b.setAttribute('aria-label', `Load pattern ${k + 1} (${p.label}) into the grid`);
    b.dataset.pattern = stateText(p.values);
    const cv = document.createElement('canvas');
    const scale = Math.max(1, Math.floor(44 / Math.max(S.rows, S.cols)));
    cv.width = S.cols * scale; cv.height = S.rows * scale;
    const side = 44;
    cv.style.width = `${Math.max(8, Math.round(side * S.cols / Math.max(S.rows, S.cols)))}px`;
    cv.style.height = `${Math.max(8, Math.round(side * S.rows / Math.max(S.rows, S.cols)))}px`;
    const ctx = cv.getContext('2d');
    ctx.fillStyle = CELL.off;
    ctx.fillRect(0, 0, cv.width, cv.height);
    ctx.fillStyle = CELL.on;
    for (let i = 0; i < p.values.length; i++) {
      if (p.values[i] > 0) ctx.fillRect((i % S.cols) * scale, Math.floor(i / S.cols) * scale, scale, scale);
    }
    const cap = document.createElement('span');
    cap.textContent = `${k + 1} · ${p.label}`;
    b.append(cv, cap);
    b.addEventListener('click', (ev) => {
      S.label = p.label;
      S.state = Int8Array.from(p.values);
      edited(`Loaded pattern ${k + 1} (${p.label}). Corrupt it, then play.`);
      blurIfMouse(ev);
    });
    const x = document.createElement('button');
    x.type = 'button';
    x.className = 'remove';
    x.textContent = '×';
    x.title = `Remove pattern ${k + 1}`;
    x.setAttribute('aria-label', `Remove pattern ${k + 1} (${p.label})`);
    x.addEventListener('click', (ev) => {
      S.patterns.splice(k, 1);
      networkChanged(`Removed pattern ${k + 1}.`);
      blurIfMouse(ev);
    });
    li.append(b, x);
    ul.append(li);
  });
  $('thumbs-empty').hidden = S.patterns.length > 0;
  const p = S.patterns.length;
  $('load').textContent = p ? `P = ${p}, N = ${n()}` : '';
  $('clear-memory').disabled = p === 0;
  const memoryMode = S.mode === 'memory';
  for (const id of ['step', 'sweep']) $(id).disabled = p === 0 || !memoryMode;
  $('play').disabled = memoryMode && p === 0;
  showCapacity();
}

function store() {
  leaveMode();
  if (S.state.some((v) => v === 0 || v > 1 || v < -1)) {
    status('The grid holds unknown (grey) or noisy values: only ±1 patterns can be stored. Clear or redraw them first.', 'error');
    return;
  }
  if (S.patterns.some((p) => p.values.every((v, i) => v === S.state[i]))) {
    status('This pattern is stored already.', 'error');
    return;
  }
  const name = S.label || 'drawn';
  S.patterns.push({ values: Int8Array.from(S.state), label: name });
  networkChanged(`Stored pattern ${S.patterns.length} (${name}). Store more, or corrupt it and play.`);
}

function networkChanged(message) {
  stopPlaying();
  resetHistory();
  S.hit = null;
  setOutcome('ready');
  renderThumbs();
  drawGrid();
  drawPlots();
  updateWeights();
  saveUrl();
  if (message) status(message);
}

// --------------------------------------------------------------------- generators

async function generatePattern(kind, rows, cols, extra) {
  return api('/api/generate', Object.assign({ kind, rows, cols }, extra || {}));
}

async function generate() {
  leaveMode();
  const kind = $('kind').value;
  const fixed = { 'page-a': [5, 5], 'page-bu': [100, 100], 'page-bc': [100, 100], 'page-star': [100, 100] }[kind];
  if (fixed && (fixed[0] !== S.rows || fixed[1] !== S.cols)) {
    if (S.patterns.length) {
      status(`This drawing is ${fixed[0]} × ${fixed[1]}: clear the memory or switch the grid to that size first.`, 'error');
      return;
    }
    setSize(fixed[0], fixed[1], true);
  }
  const text = $('text').value;
  const body = { seed: 1000 + S.patterns.length + 17 * S.seed };
  if (kind === 'letter' || kind === 'text') body.text = kind === 'letter' ? text.slice(0, 1) : text;
  if (kind === 'rows') body.width = Math.max(1, Math.round(S.rows / 10));
  if (kind === 'random') body.seed += 101 * S.generated++;
  try {
    const r = await generatePattern(kind, S.rows, S.cols, body);
    S.state = Int8Array.from(r.pattern);
    const name = kind === 'letter' ? body.text.toUpperCase() : kind === 'text' ? body.text : kind.replace('page-', '');
    edited(`Generated ${r.description}.`);
    S.label = name;
  } catch (e) { fail(e); }
}

function ensureSizeOption(rows, cols) {
  const sel = $('size');
  const value = `${rows}x${cols}`;
  if (![...sel.options].some((o) => o.value === value)) {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = `${rows} × ${cols}`;
    sel.append(o);
  }
  sel.value = value;
}

function setSize(rows, cols, quiet) {
  ensureSizeOption(rows, cols);
  if (rows === S.rows && cols === S.cols) return;
  const dropped = S.patterns.length;
  S.rows = rows; S.cols = cols;
  S.state = new Int8Array(rows * cols).fill(-1);
  S.patterns = [];
  S.cursor = null;
  S.label = null;
  networkChanged(quiet ? null : `Grid is now ${rows} × ${cols}` +
    (dropped ? `; the ${dropped} stored pattern${dropped > 1 ? 's were' : ' was'} cleared (they had another size).` : '.'));
}

// -------------------------------------------------------------------------- noise

async function corrupt(kind) {
  leaveMode();
  const body = { state: Array.from(S.state), rows: S.rows, cols: S.cols, seed: 2000 + 31 * S.seed + S.chunk };
  if (kind === 'flip') {
    body.flip = parseInt($('noise').value, 10) / 100;
  } else if (kind === 'noise') {
    if (S.state.some((v) => v === 0 || Math.abs(v) > 1)) {
      status('Add the noise to a ±1 state: the grid already holds unknown or noisy values.', 'error');
      return;
    }
    body.add_noise = true;
    if (rule() === 'outer01' && model() === 'classical') body.binary = true;
  } else {
    const m = $('mask').value;
    if (m === 'centre') {
      const h = Math.max(1, Math.round(S.rows / 2)), w = Math.max(1, Math.round(S.cols / 2));
      body.mask = `rect:${Math.floor((S.rows - h) / 2)},${Math.floor((S.cols - w) / 2)},${h}x${w}`;
    } else {
      body.mask = m;
    }
  }
  const r = await api('/api/corrupt', body);
  const name = S.label;
  S.state = Int8Array.from(r.state);
  edited(kind === 'flip'
    ? `Flipped ${r.flipped} of ${n()} neurons. Now step or play the dynamics.`
    : kind === 'noise'
      ? `Added a random ±1 to every ${body.binary ? '0/1 value' : 'value'} (dark = larger). Now step or play.`
      : `Masked ${r.masked} neurons (grey = unknown). Now step or play the dynamics.`);
  S.label = name;
  S.cue = Int8Array.from(S.state);
  saveUrl();
}

// ----------------------------------------------------------------------- dynamics

// One request to the engine from the current state; its per-step records are kept.
async function runChunk(options) {
  const N = n();
  const body = Object.assign(network(), {
    cue: Array.from(S.state),
    dynamics: dynamics(),
    seed: S.seed * 1000 + S.chunk++,
    states: options.states,
    clamp: true,
  });
  if (hot()) body.temperature = temperature();
  if (options.maxSteps) body.max_steps = options.maxSteps;
  if (options.states && body.dynamics === 'async' && model() !== 'modern') body.states_every = Math.max(1, Math.floor(N / 32));
  return api('/api/recall', body);
}

// Appends the records of steps from..to of a response, with the clock at its step 0.
function appendHistory(r, from, to, t0) {
  const dt = stepLength();
  for (let k = from; k <= to; k++) {
    if (k === 0 && S.hist.t.length) continue;   // step 0 is the last point already
    S.hist.t.push(t0 + k * dt);
    S.hist.e.push(r.energy[k]);
    S.hist.m.push(r.overlaps[k]);
    if (S.mean && k > 0) {
      S.mean.count++;
      r.overlaps[k].forEach((v, i) => { S.mean.sums[i] += v; });
    }
  }
  if (S.hist.t.length > HISTORY) {
    const cut = S.hist.t.length - HISTORY;
    for (const key of ['t', 'e', 'm']) S.hist[key].splice(0, cut);
  }
}

function meanOverlaps() {
  if (!S.mean || !S.mean.count) return null;
  return S.mean.sums.map((s) => s / S.mean.count);
}

function finishRun(r) {
  setOutcome(r.outcome, r.pattern);
  status(describe(r, S.changedAt));
  saveUrl();
}

// Budget of the run, in steps of the current dynamics (null: none).
function budgetSteps() {
  const b = num('budget');
  if (b === null || !(b > 0)) return null;
  return Math.max(1, Math.round(b / stepLength()));
}

async function step(sweep) {
  if (!ready()) return;
  stopPlaying();
  if (!S.cue) S.cue = Int8Array.from(S.state);
  if (hot() && !S.mean) S.mean = { sums: S.patterns.map(() => 0), count: 0 };
  S.busy = true;
  try {
    const steps = sweep && dynamics() === 'async' ? n() : 1;
    const r = await runChunk({ maxSteps: steps, states: false });
    const dt = stepLength();
    // Steps after the last change only confirm a fixed point: they are not counted.
    const counted = hot() || !r.converged ? r.steps : r.hitting_time;
    appendHistory(r, 0, counted, S.clock);
    if (r.flips > 0 || hot()) S.changedAt = S.clock + (hot() ? r.steps : r.hitting_time) * dt;
    S.clock += counted * dt;
    const before = stateText(S.state);
    S.state = Int8Array.from(r.state);
    drawGrid();
    drawPlots();
    if (hot()) {
      setOutcome('sampling', null, 'sampling');
      status(`t = ${fmtTime(S.clock)}: ${r.flips} neuron${r.flips === 1 ? '' : 's'} changed.` + hotSummary());
      return;
    }
    // A synchronous run that comes back to a state it has seen is in a cycle.
    if (dynamics() === 'sync' && model() !== 'modern') {
      const key = stateText(S.state);
      if (r.flips > 0 && S.seen.has(key)) {
        const period = Math.round(S.clock - S.seen.get(key));
        finishRun({ outcome: 'cycle', description: `cycle of period ${period}`, overlaps: r.overlaps });
        return;
      }
      if (!S.seen.size) S.seen.set(before, 0);
      S.seen.set(key, S.clock);
    }
    if (r.converged || r.outcome === 'cycle') {
      finishRun(r);
      if (r.flips === 0) status(`Nothing changed: the state is a fixed point. ${describe(r, S.changedAt)}`);
    } else {
      setOutcome('running');
      status(`t = ${fmtTime(S.clock)}: ${r.flips} neuron${r.flips === 1 ? '' : 's'} changed; not at a fixed point yet.` +
        overlapsText(r.overlaps[r.overlaps.length - 1]));
    }
  } catch (e) { fail(e); } finally { S.busy = false; }
}

function hotSummary() {
  const m = meanOverlaps();
  if (!m) return '';
  const parts = S.patterns.slice(0, 6).map((p, k) => `${k + 1} (${p.label}) ⟨m⟩ = ${signed(m[k])}`);
  return ` Mean overlaps over the run: ${parts.join(', ')}.`;
}

function ready() {
  if (S.mode !== 'memory') return false;
  if (!S.patterns.length) {
    status('Store at least one pattern first: the network has no memories yet.', 'error');
    return false;
  }
  if (S.busy) return false;
  return true;
}

// Play: fetch a chunk with its states, animate it at the chosen speed, fetch the next.
const play = { chunk: null, shown: 0, clock: 0, last: 0, raf: 0, t0: 0, end: 0, timer: 0 };

function speed() {
  const v = parseInt($('speed').value, 10) / 100;        // 0..1
  return 0.25 * Math.pow(2, v * 8);                       // 0.25 .. 64 sweeps per second
}

function togglePlay() {
  if (S.playing) {
    stopPlaying();
    if (S.mode === 'memory' && hot()) {
      setOutcome('sampling', null, 'stopped');
      status(`Stopped at t = ${fmtTime(S.clock)}, T = ${temperature()}.` + hotSummary());
    } else status('Paused.');
    return;
  }
  if (S.mode === 'simulate') { playSimulation(); return; }
  if (S.mode === 'crosstalk') { playCrosstalk(); return; }
  if (!ready()) return;
  if (!S.cue) S.cue = Int8Array.from(S.state);
  S.playing = true;
  $('play').textContent = '❚❚ Pause';
  if (hot()) {
    if (!S.mean) S.mean = { sums: S.patterns.map(() => 0), count: 0 };
    setOutcome('sampling', null, 'sampling');
    status(`Sampling at T = ${temperature()}: the run goes on until you stop it${budgetSteps() ? ' or its budget is spent' : ''}.`);
  } else {
    setOutcome('running');
    status('Running…');
  }
  explain();
  play.chunk = null;
  nextChunk();
}

function stopPlaying() {
  if (!S.playing) return;
  S.playing = false;
  cancelAnimationFrame(play.raf);
  clearTimeout(play.timer);
  play.chunk = null;
  $('play').textContent = '▶ Play';
}

function budgetLeft() {
  const b = budgetSteps();
  if (b === null) return null;
  return b - Math.round(S.clock / stepLength());
}

async function nextChunk() {
  if (!S.playing) return;
  const left = budgetLeft();
  if (left !== null && left <= 0) {
    stopPlaying();
    if (hot()) {
      setOutcome('sampling', null, 'done');
      status(`Budget spent: ${fmtTime(S.clock)} sweeps at T = ${temperature()}.` + hotSummary());
    } else {
      setOutcome('running', null, 'stopped');
      status(`Stopped after the budget of ${num('budget')} sweeps, before a fixed point.` + overlapsText(S.hist.m[S.hist.m.length - 1]));
    }
    saveUrl();
    return;
  }
  if (!hot() && S.clock >= COLD_LIMIT) {
    stopPlaying();
    setOutcome('unconverged');
    status(`Not settled after ${COLD_LIMIT} sweeps: stopped (asymmetric couplings, as perceptron learning makes, need not settle).`);
    return;
  }
  S.busy = true;
  let r;
  try {
    const chunk = hot() ? Math.max(1, Math.round(Math.min(20, Math.max(2, speed())) / stepLength())) : null;
    let maxSteps = chunk;
    if (left !== null) maxSteps = Math.min(maxSteps || left, left);
    r = await runChunk({ states: true, maxSteps });
  } catch (e) {
    S.busy = false;
    stopPlaying();
    setOutcome('ready');
    fail(e);
    return;
  }
  S.busy = false;
  if (!S.playing) return;
  play.chunk = r;
  play.shown = 0;
  play.t0 = S.clock;
  // A converged run is shown up to its last change: the steps after it only confirmed it.
  play.end = !hot() && r.converged ? r.hitting_time : r.steps;
  play.clock = 0;
  play.last = performance.now();
  play.raf = requestAnimationFrame(frame);
}

function frame(now) {
  if (!S.playing || !play.chunk) return;
  const r = play.chunk;
  const dt = stepLength();
  play.clock += Math.max(0, Math.min(0.25, (now - play.last) / 1000)) * speed();
  play.last = now;
  // Steps of this chunk due by now, then the last recorded state at or before that step.
  const due = Math.min(play.end, Math.floor(play.clock / dt + 1e-9) + 1);
  if (due > play.shown) {
    appendHistory(r, play.shown === 0 ? 0 : play.shown + 1, due, play.t0);
    play.shown = due;
    let idx = 0;
    while (idx + 1 < r.state_steps.length && r.state_steps[idx + 1] <= due) idx++;
    S.state = Int8Array.from(r.states[idx]);
    S.clock = play.t0 + due * dt;
    drawGrid();
    drawPlots();
    if (hot()) $('outcome').textContent = `sampling · t = ${fmtTime(S.clock)}`;
  }
  if (play.shown >= play.end) {
    S.state = Int8Array.from(r.state);
    S.clock = play.t0 + play.end * dt;
    if (hot()) S.changedAt = S.clock;
    else if (r.hitting_time > 0) S.changedAt = play.t0 + r.hitting_time * dt;
    drawGrid();
    if (!hot() && (r.converged || r.outcome === 'cycle')) {
      stopPlaying();
      finishRun(r);
      drawPlots();
      return;
    }
    if (hot()) status(`Sampling at T = ${temperature()}, t = ${fmtTime(S.clock)}.` + hotSummary());
    play.chunk = null;
    nextChunk();
    return;
  }
  play.raf = requestAnimationFrame(frame);
}

function resetToCue() {
  if (S.mode === 'simulate' && S.sim) { stopPlaying(); S.sim.shown = 0; drawGrid(); drawPlots(); return; }
  if (!S.cue) { status('Nothing to reset: no run has started from this state.'); return; }
  const cue = S.cue;
  S.state = Int8Array.from(cue);
  const name = S.label;
  edited('Back to the cue.');
  S.label = name;
  S.cue = cue;
}

// The explanation under the controls: what a stochastic run shows.
function explain() {
  const el = $('explain');
  if (S.mode === 'memory' && hot()) {
    el.hidden = false;
    el.textContent = `At T = ${temperature()} each neuron follows its field only with probability 1/(1 + e^(−2h/T)): ` +
      'the state keeps fluctuating and never settles, so a run goes on until you stop it (or its budget is spent). ' +
      'What measures retrieval is the time-averaged overlap ⟨m⟩ with each pattern, shown beside the plot; ' +
      'below the critical temperature it stays near ±1 for the recalled pattern.';
  } else el.hidden = true;
}

// -------------------------------------------------------------- the first two cells

// The energy of the model in use, for the plot's caption.
function energyCaption() {
  const formula = {
    classical: 'E = −½ SᵀWS + θ·S',
    dense: 'E = −Σ (ξ·S)ⁿ over the patterns',
    rectified: 'E = −Σ max(ξ·S, 0)ⁿ over the patterns',
    exponential: 'E = −β⁻¹ ln Σ exp(β ξ·S)',
    modern: 'E = −β⁻¹ ln Σ exp(β ξ·x) + ½ x·x + c',
  }[model()];
  const cap = $('energy-caption');
  cap.textContent = 'Energy ';
  const span = document.createElement('span');
  span.className = 'muted';
  span.textContent = formula;
  cap.append(span);
}

function leaveMode() {
  if (S.mode === 'memory') return;
  S.mode = 'memory';
  S.sim = null;
  S.cross = null;
  energyCaption();
  $('overlap-caption').innerHTML = 'Overlap with each stored pattern <span class="muted">m = ξ·S / N</span>';
  $('preset-note').hidden = true;
  renderThumbs();
}

async function loadSimulation(seed) {
  stopPlaying();
  const r = await api('/api/simulate', { n: 20, steps: 200, seed });
  S.mode = 'simulate';
  S.sim = Object.assign(r, { shown: 0, seed });
  S.patterns = [];
  S.cue = null;
  renderThumbs();
  $('energy-caption').textContent = 'Neurons on after each update';
  $('overlap-caption').textContent = 'Fraction of neurons on';
  setOutcome('ready');
  note('The page\'s first cell: 20 binary neurons, couplings T_ij uniform in [0, 1), threshold 0; one random neuron per update turns on when its input is > 0. Rows are neurons, columns time.');
  status(`Random network loaded: ${r.on[0]} of ${r.n} neurons on at the start. Play the 200 updates.`);
  drawGrid();
  drawPlots();
}

function playSimulation() {
  const sim = S.sim;
  if (sim.shown >= sim.states.length - 1) sim.shown = 0;
  S.playing = true;
  $('play').textContent = '❚❚ Pause';
  setOutcome('running');
  let last = performance.now(), acc = 0;
  const perSecond = speed() * 20;
  const tick = (now) => {
    if (!S.playing) return;
    acc += Math.max(0, Math.min(0.25, (now - last) / 1000)) * perSecond;
    last = now;
    const steps = Math.floor(acc);
    acc -= steps;
    sim.shown = Math.min(sim.states.length - 1, sim.shown + steps);
    drawGrid();
    drawPlots();
    if (sim.shown >= sim.states.length - 1) {
      stopPlaying();
      const at = sim.all_on_at;
      if (at !== null) {
        setOutcome('done', null, 'all on');
        status(`All ${sim.n} neurons on after update ${at}, and they stay on: with couplings ≥ 0, a neuron with any partner on has a positive input. The state is ${sim.converged ? 'a fixed point' : 'still changing'}.`);
      } else {
        setOutcome('done', null, 'finished');
        status(`After ${sim.states.length - 1} updates ${sim.on[sim.on.length - 1]} of ${sim.n} neurons are on.`);
      }
      saveUrl();
      return;
    }
    play.raf = requestAnimationFrame(tick);
  };
  play.raf = requestAnimationFrame(tick);
}

async function loadCrosstalk(seed) {
  stopPlaying();
  S.mode = 'crosstalk';
  S.cross = { seed, samples: null };
  renderThumbs();
  $('energy-caption').textContent = 'Σ ξᵢSᵢ for random ξ and S (100 pairs)';
  $('overlap-caption').textContent = 'Σ ξᵢSᵢ when S copies ξ on 50 of N = 100 neurons (50 pairs)';
  setOutcome('ready');
  note('The page\'s second cell: the term in the square brackets, Σ ξᵢSᵢ, for random ±1 patterns of N = 100. The grid shows one ξ (stored) and the cue S that copies it on its first 50 neurons.');
  status('Play draws the page\'s samples and histograms them.');
  drawGrid();
  drawPlots();
}

async function playCrosstalk() {
  setOutcome('running');
  const seed = S.cross.seed;
  const [a, b] = await Promise.all([
    api('/api/crosstalk', { n: 100, overlap: 0, samples: 100, seed }),
    api('/api/crosstalk', { n: 100, overlap: 50, samples: 50, seed: seed + 1 }),
  ]);
  S.cross.samples = [a, b];
  drawPlots();
  const f = (v) => v.toFixed(1);
  const ok = (c) => c.ks_distance <= c.ks_critical;
  setOutcome('done', null, 'sampled');
  status(`Random pairs: mean ${f(a.mean)} (theory 0), sd ${f(a.sd)} (theory √N = 10). ` +
    `S copying ξ on 50 neurons: mean ${f(b.mean)} (theory 50), sd ${f(b.sd)} (theory √50 = 7.1). ` +
    `Both match the Gaussian of theory${ok(a) && ok(b) ? '' : ' only roughly'} (KS ${a.ks_distance.toFixed(2)} and ${b.ks_distance.toFixed(2)}, 5 % limits ${a.ks_critical.toFixed(2)} and ${b.ks_critical.toFixed(2)}).`);
  saveUrl();
}

function note(text) {
  const el = $('preset-note');
  el.hidden = !text;
  el.textContent = text || '';
  drawGrid();
}

// -------------------------------------------------------------------------- plots

function setupCanvas(cv) {
  const dpr = window.devicePixelRatio || 1;
  const w = cv.clientWidth || 300, h = cv.clientHeight || 150;
  if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
    cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr);
  }
  const ctx = cv.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

// Round ticks in [lo, hi]: the widest spacing of 1, 2 or 5 × 10ᵏ that still gives at least
// three of them (two on a short axis), and at most count + 2.
function niceTicks(lo, hi, count) {
  const span = hi - lo || 1;
  const mag = Math.pow(10, Math.floor(Math.log10(span / count)));
  const steps = [10, 5, 2, 1, 0.5, 0.2, 0.1].map((m) => m * mag);
  const at = (step) => {
    const ticks = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toFixed(10));
    return ticks;
  };
  const least = count <= 3 ? 2 : 3;
  for (const step of steps) {
    const ticks = at(step);
    if (ticks.length >= least && ticks.length <= count + 2) return { ticks, step };
  }
  const step = steps[steps.length - 1];
  return { ticks: at(step), step };
}

const SUPER = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

// A tick label with its sign: plain numbers below 10⁵, else m×10ᵉ with the mantissa's
// digits chosen from the spacing of the ticks, so that neighbours never read the same.
function fmtTick(v, step) {
  const a = Math.abs(v);
  const sign = v < 0 ? '−' : '';
  if (a === 0) return '0';
  if (a >= 1e5 || a < 1e-3) {
    const e = Math.floor(Math.log10(a) + 1e-12);
    const digits = step ? Math.max(0, Math.min(4, e - Math.floor(Math.log10(step) + 1e-12))) : 1;
    let m = (a / Math.pow(10, e)).toFixed(digits);
    if (digits > 0) m = m.replace(/\.?0+$/, '');
    return `${sign}${m}×10${String(e).split('').map((c) => SUPER[c]).join('')}`;
  }
  const decimals = step ? Math.max(0, Math.min(4, -Math.floor(Math.log10(step) + 1e-12))) : 2;
  return sign + a.toFixed(decimals);
}

// A value for words: four significant digits, with its sign.
function fmtValue(v) {
  if (Math.abs(v) >= 1e5) return fmtTick(v, Math.pow(10, Math.floor(Math.log10(Math.abs(v))) - 3));
  return (v < 0 ? '−' : '') + String(+Math.abs(v).toPrecision(4));
}

// A line plot: series = [{values, color}], xs shared; yRange optional.
function linePlot(cv, xs, series, opts) {
  const { ctx, w, h } = setupCanvas(cv);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#475569';
  const pad = { l: 40, r: 8, t: 6, b: 28 };
  if (!xs.length) {
    const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
    ctx.strokeStyle = '#e2e8f0';
    ctx.strokeRect(pad.l, pad.t, pw, ph);
    ctx.textAlign = 'center';
    ctx.fillText(opts.empty, pad.l + pw / 2, pad.t + ph / 2);
    return;
  }
  const xmin = opts.xmin ?? 0;
  const xmax = Math.max(xmin + 1, xs[xs.length - 1]);
  let lo = opts.yRange ? opts.yRange[0] : Infinity, hi = opts.yRange ? opts.yRange[1] : -Infinity;
  if (!opts.yRange) {
    for (const s of series) for (const v of s.values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const m = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
    lo -= m; hi += m;
  }
  const yt = niceTicks(lo, hi, h < 120 ? 3 : 4);
  const labels = yt.ticks.map((v) => fmtTick(v, yt.step));
  cv.dataset.ticks = labels.join('|');
  // The left margin fits the widest label.
  pad.l = Math.max(28, Math.ceil(Math.max(...labels.map((s) => ctx.measureText(s).width))) + 8);
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  const X = (x) => pad.l + ((x - xmin) / (xmax - xmin)) * pw;
  const Y = (y) => pad.t + (1 - (y - lo) / (hi - lo)) * ph;
  ctx.strokeStyle = '#eef2f7';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  yt.ticks.forEach((v, i) => {
    const y = Math.round(Y(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(pad.l + pw, y); ctx.stroke();
    ctx.fillText(labels[i], pad.l - 4, y);
  });
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  const xt = niceTicks(xmin, xmax, Math.max(2, Math.floor(pw / 70)));
  if (opts.integer && xt.step < 1) {
    xt.step = 1;
    xt.ticks = [];
    for (let v = Math.ceil(xmin); v <= xmax; v++) xt.ticks.push(v);
  }
  for (const v of xt.ticks) {
    const x = Math.round(X(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(x, pad.t); ctx.lineTo(x, pad.t + ph); ctx.stroke();
    ctx.fillText(fmtTick(v, xt.step), x, pad.t + ph + 2);
  }
  if (opts.zero && lo < 0 && hi > 0) {
    ctx.strokeStyle = '#cbd5e1';
    ctx.beginPath(); ctx.moveTo(pad.l, Y(0)); ctx.lineTo(pad.l + pw, Y(0)); ctx.stroke();
  }
  ctx.strokeStyle = '#cbd5e1';
  ctx.strokeRect(pad.l + 0.5, pad.t + 0.5, pw, ph);
  // The axis label under the tick labels, at the right end.
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.font = '10px system-ui, sans-serif';
  ctx.fillText(opts.xLabel, pad.l + pw, h);
  ctx.font = '11px system-ui, sans-serif';
  ctx.lineJoin = 'round';
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width || 2;
    if (s.dash) ctx.setLineDash(s.dash); else ctx.setLineDash([]);
    ctx.beginPath();
    // At most ~2 points per pixel column.
    const stride = Math.max(1, Math.floor(xs.length / (2 * pw)));
    for (let i = 0; i < xs.length; i += stride) {
      const x = X(xs[i]), y = Y(s.values[i]);
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    }
    const last = xs.length - 1;
    ctx.lineTo(X(xs[last]), Y(s.values[last]));
    ctx.stroke();
    ctx.setLineDash([]);
    if (xs.length === 1) {
      ctx.fillStyle = s.color;
      ctx.beginPath(); ctx.arc(X(xs[0]), Y(s.values[0]), 3, 0, 7); ctx.fill();
    }
  }
}

// A histogram of integer samples with the predicted Gaussian.
function histogram(cv, c, color) {
  const { ctx, w, h } = setupCanvas(cv);
  const pad = { l: 30, r: 8, t: 6, b: 20 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  ctx.font = '11px system-ui, sans-serif';
  const lo = -40, hi = 90, width = 4;
  const bins = new Array(Math.ceil((hi - lo) / width)).fill(0);
  for (const v of c.values) {
    const k = Math.floor((v - lo) / width);
    if (k >= 0 && k < bins.length) bins[k]++;
  }
  const total = c.values.length;
  const g = (x) => total * width * Math.exp(-0.5 * ((x - c.predicted_mean) / c.predicted_sd) ** 2) / (c.predicted_sd * Math.sqrt(2 * Math.PI));
  const top = Math.max(...bins, g(c.predicted_mean)) * 1.1;
  const X = (x) => pad.l + ((x - lo) / (hi - lo)) * pw;
  const Y = (y) => pad.t + (1 - y / top) * ph;
  ctx.fillStyle = color;
  bins.forEach((b, k) => {
    if (b) ctx.fillRect(X(lo + k * width) + 1, Y(b), pw * width / (hi - lo) - 2, Y(0) - Y(b));
  });
  ctx.strokeStyle = '#0f172a';
  ctx.lineWidth = 1.5;
  ctx.beginPath();
  for (let x = lo; x <= hi; x += 1) { if (x === lo) ctx.moveTo(X(x), Y(g(x))); else ctx.lineTo(X(x), Y(g(x))); }
  ctx.stroke();
  ctx.strokeStyle = '#dc2626';
  ctx.setLineDash([3, 3]);
  ctx.beginPath(); ctx.moveTo(X(0), pad.t); ctx.lineTo(X(0), pad.t + ph); ctx.stroke();
  ctx.setLineDash([]);
  ctx.strokeStyle = '#cbd5e1';
  ctx.strokeRect(pad.l + 0.5, pad.t + 0.5, pw, ph);
  ctx.fillStyle = '#475569';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (let x = -40; x <= 80; x += 20) ctx.fillText(fmtTick(x, 20), X(x), pad.t + ph + 3);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  ctx.fillText('0', pad.l - 4, Y(0));
  ctx.fillText(String(Math.round(top / 1.1)), pad.l - 4, Y(Math.round(top / 1.1)));
  cv.setAttribute('aria-label', `Histogram of ${total} samples: mean ${c.mean.toFixed(1)}, standard deviation ${c.sd.toFixed(1)}; theory ${c.predicted_mean} and ${c.predicted_sd.toFixed(1)}.`);
}

function drawPlots() {
  const energy = $('energy-plot'), overlap = $('overlap-plot'), legend = $('legend');
  legend.textContent = '';
  if (S.mode === 'simulate') {
    const sim = S.sim;
    const xs = [], on = [], frac = [];
    for (let k = 0; k <= sim.shown; k++) { xs.push(k); on.push(sim.on[k]); frac.push(sim.on[k] / sim.n); }
    linePlot(energy, xs, [{ values: on, color: '#0f172a' }], { xLabel: 'update', yRange: [0, sim.n + 0.5], empty: '' });
    linePlot(overlap, xs, [{ values: frac, color: COLORS[0] }], { xLabel: 'update', yRange: [0, 1.05], empty: '' });
    energy.setAttribute('aria-label', `Neurons on: ${sim.on[sim.shown]} of ${sim.n} after update ${sim.shown}.`);
    overlap.setAttribute('aria-label', `Fraction on: ${(sim.on[sim.shown] / sim.n).toFixed(2)} after update ${sim.shown}.`);
    return;
  }
  if (S.mode === 'crosstalk') {
    const c = S.cross.samples;
    if (!c) {
      linePlot(energy, [], [], { empty: 'Play to draw the samples', xLabel: '' });
      linePlot(overlap, [], [], { empty: 'Play to draw the samples', xLabel: '' });
      return;
    }
    histogram(energy, c[0], '#93c5fd');
    histogram(overlap, c[1], '#fca5a5');
    return;
  }
  const H = S.hist;
  const xLabel = dynamics() === 'sync' || model() === 'modern' ? 'time (steps)' : 'time (sweeps)';
  const xmin = H.t.length ? H.t[0] : 0;
  const integer = xLabel === 'time (steps)';
  linePlot(energy, H.t, [{ values: H.e, color: '#0f172a' }],
    { xLabel, xmin, integer, empty: 'Step or play the dynamics to plot the energy' });
  const series = S.patterns.map((p, k) => ({
    values: H.m.map((m) => (m && m[k] !== undefined ? m[k] : 0)), color: COLORS[k % COLORS.length],
  }));
  const mean = meanOverlaps();
  if (mean) {
    S.patterns.forEach((p, k) => {
      if (k < 10) series.push({ values: H.t.map(() => mean[k]), color: COLORS[k % COLORS.length], width: 1, dash: [4, 3] });
    });
  }
  linePlot(overlap, H.t, series,
    { xLabel, xmin, integer, yRange: [-1.08, 1.08], zero: true, empty: 'Overlaps appear here during a run' });
  const lastE = H.e.length ? H.e[H.e.length - 1] : null;
  energy.setAttribute('aria-label', lastE === null ? 'Energy over time: no run yet'
    : `Energy over time: ${fmtValue(lastE)} at t = ${fmtTime(S.clock)}` + (H.e.length > 1 ? `, from ${fmtValue(H.e[0])}.` : '.'));
  const lastM = H.m.length ? H.m[H.m.length - 1] : null;
  overlap.setAttribute('aria-label', lastM ? `Overlaps at t = ${fmtTime(S.clock)}:${overlapsText(lastM)}` : 'Overlaps over time: no run yet');
  S.patterns.forEach((p, k) => {
    const span = document.createElement('span');
    const sw = document.createElement('i');
    sw.style.background = COLORS[k % COLORS.length];
    const last = lastM ? lastM[k] : null;
    let text = `${k + 1} · ${p.label}`;
    if (last !== null && last !== undefined) text += `  m = ${signed(last)}`;
    if (mean) text += `  ⟨m⟩ = ${signed(mean[k])}`;
    span.append(sw, text);
    legend.append(span);
  });
}

// Diverging colours: blue (negative), white (0), red (positive).
function diverging(t) {
  const neg = [33, 102, 172], mid = [247, 247, 247], pos = [178, 24, 43];
  const [a, b, u] = t < 0 ? [mid, neg, -t] : [mid, pos, t];
  return a.map((v, i) => Math.round(v + (b[i] - v) * Math.min(1, u)));
}

async function updateWeights() {
  const cv = $('weights');
  const ctx = cv.getContext('2d');
  const fields = memoryFields();
  const key = JSON.stringify([S.patterns.length, fields, S.rows, S.cols, S.patterns.map((p) => p.label)]);
  S.weightsFor = key;
  const blank = (text) => {
    cv.width = 1; cv.height = 1;
    ctx.fillStyle = '#f8fafc'; ctx.fillRect(0, 0, 1, 1);
    $('weights-info').textContent = text;
    $('w-max').textContent = ''; $('w-min').textContent = '';
  };
  if (!S.patterns.length) { blank('(store a pattern)'); return; }
  if (model() !== 'classical') { blank(`(model ${model()}: no coupling matrix, the energy is a function of the overlaps)`); return; }
  try {
    const body = Object.assign({ patterns: S.patterns.map((p) => Array.from(p.values)), side: 128 }, fields);
    const r = await api('/api/weights', body);
    if (S.weightsFor !== key) return;
    cv.width = r.side; cv.height = r.side;
    const img = ctx.createImageData(r.side, r.side);
    const scale = Math.max(Math.abs(r.min), Math.abs(r.max)) || 1;
    r.values.forEach((v, i) => {
      const [R, G, B] = diverging(v / scale);
      img.data[4 * i] = R; img.data[4 * i + 1] = G; img.data[4 * i + 2] = B; img.data[4 * i + 3] = 255;
    });
    ctx.putImageData(img, 0, 0);
    $('weights-info').textContent = r.exact ? `${r.n} × ${r.n}` : `${r.n} × ${r.n}, sampled at ${r.side} × ${r.side}`;
    cv.setAttribute('aria-label', `Weight matrix, ${r.n} × ${r.n}: from ${fmtValue(r.min)} to ${fmtValue(r.max)}.`);
    $('w-max').textContent = fmtValue(scale);
    $('w-min').textContent = fmtValue(-scale);
  } catch (e) {
    if (S.weightsFor === key) { blank(''); fail(e); }
  }
}

// -------------------------------------------------------------------- files

function download(name, blob) {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// A .npy file of int8 values (version 1.0).
function npy(values, shape) {
  let header = `{'descr': '|i1', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const bytes = new Uint8Array(10 + header.length + values.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 255, header.length >> 8]);
  for (let i = 0; i < header.length; i++) bytes[10 + i] = header.charCodeAt(i);
  const body = new Int8Array(bytes.buffer, 10 + header.length);
  body.set(values);
  return new Blob([bytes], { type: 'application/octet-stream' });
}

// Reads a .npy file: its shape and values as numbers (int8/16/32/64, uint8, bool, float).
function parseNpy(buffer) {
  const bytes = new Uint8Array(buffer);
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (!magic.every((b, i) => bytes[i] === b)) throw new Error('not a .npy file (no NUMPY magic)');
  const major = bytes[6];
  const view = new DataView(buffer);
  const len = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = major === 1 ? 10 : 12;
  const header = String.fromCharCode(...bytes.subarray(start, start + len));
  const descr = (header.match(/'descr':\s*'([^']+)'/) || [])[1];
  const shape = ((header.match(/'shape':\s*\(([^)]*)\)/) || [])[1] || '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (/True/.test((header.match(/'fortran_order':\s*(\w+)/) || [])[0] || '')) throw new Error('.npy in Fortran order is not supported');
  const count = shape.reduce((a, b) => a * b, 1);
  const data = buffer.slice(start + len);
  const little = !descr.startsWith('>');
  const kind = descr.replace(/^[<>|=]/, '');
  const size = { i1: 1, u1: 1, b1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8, f4: 4, f8: 8 }[kind];
  if (!size) throw new Error(`.npy of type ${descr} is not supported (int, uint, bool or float)`);
  if (data.byteLength < count * size) throw new Error('.npy file is shorter than its shape says');
  const dv = new DataView(data);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const o = i * size;
    switch (kind) {
      case 'i1': values[i] = dv.getInt8(o); break;
      case 'u1': case 'b1': values[i] = dv.getUint8(o); break;
      case 'i2': values[i] = dv.getInt16(o, little); break;
      case 'u2': values[i] = dv.getUint16(o, little); break;
      case 'i4': values[i] = dv.getInt32(o, little); break;
      case 'u4': values[i] = dv.getUint32(o, little); break;
      case 'i8': values[i] = Number(dv.getBigInt64(o, little)); break;
      case 'u8': values[i] = Number(dv.getBigUint64(o, little)); break;
      case 'f4': values[i] = dv.getFloat32(o, little); break;
      default: values[i] = dv.getFloat64(o, little);
    }
  }
  return { shape, values };
}

// Numbers to neurons: 0/1 only is binary (0 → −1), otherwise the sign (0 stays unknown).
function toBipolar(values) {
  const binary = values.every((v) => v === 0 || v === 1);
  return Int8Array.from(values, (v) => (binary ? (v > 0 ? 1 : -1) : v > 0 ? 1 : v < 0 ? -1 : 0));
}

async function readImage(file) {
  // Decoded from the file's bytes (no URL to fetch, so the page's CSP is kept as it is).
  let img;
  try { img = await createImageBitmap(file); } catch (e) { throw new Error(`${file.name}: not a readable image`); }
  const cv = document.createElement('canvas');
  cv.width = img.width; cv.height = img.height;
  const ctx = cv.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, cv.width, cv.height);
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, cv.width, cv.height).data;
  const values = new Int8Array(cv.width * cv.height);
  for (let i = 0; i < values.length; i++) {
    // Dark pixels are on, as hopfield reads PNGs: luminance below mid-grey.
    const lum = 0.299 * d[4 * i] + 0.587 * d[4 * i + 1] + 0.114 * d[4 * i + 2];
    values[i] = lum < 128 ? 1 : -1;
  }
  return { rows: cv.height, cols: cv.width, patterns: [values] };
}

// A file as patterns of one shape: {rows, cols, patterns: [Int8Array]}. A flat pattern of
// the grid's N neurons takes the grid's shape; a 2-D array is one (H, W) pattern when
// `one` says so (a state), else P patterns of N.
async function readFile(file, one) {
  if (/\.png$/i.test(file.name)) return readImage(file);
  const { shape, values } = parseNpy(await file.arrayBuffer());
  const v = toBipolar(Array.from(values));
  const flat = (count, N) => {
    if (N === n()) return [count, S.rows, S.cols];
    const side = Math.round(Math.sqrt(N));
    return side * side === N ? [count, side, side] : [count, 1, N];
  };
  let count, rows, cols;
  if (shape.length === 1) [count, rows, cols] = flat(1, shape[0]);
  else if (shape.length === 2) {
    if (one || (shape[0] * shape[1] === n() && shape[1] !== n())) [count, rows, cols] = [1, shape[0], shape[1]];
    else [count, rows, cols] = flat(shape[0], shape[1]);
  } else if (shape.length === 3) [count, rows, cols] = shape;
  else throw new Error(`${file.name}: shape (${shape.join(', ')}) is not (N), (P, N) or (P, H, W)`);
  const N = rows * cols;
  const patterns = [];
  for (let k = 0; k < count; k++) patterns.push(v.slice(k * N, (k + 1) * N));
  return { rows, cols, patterns };
}

async function importFile(input, into) {
  const file = input.files && input.files[0];
  if (!file) return;
  input.value = '';
  leaveMode();
  const r = await readFile(file, into !== 'patterns');
  const base = file.name.replace(/\.[^.]+$/, '');
  if (into === 'patterns') {
    if (r.rows !== S.rows || r.cols !== S.cols) setSize(r.rows, r.cols, true);
    S.patterns = r.patterns.map((values, k) => ({ values: values.map((x) => (x >= 0 ? 1 : -1)), label: r.patterns.length > 1 ? `${base} ${k + 1}` : base }));
    networkChanged(`Loaded ${r.patterns.length} pattern${r.patterns.length > 1 ? 's' : ''} of ${r.rows} × ${r.cols} from ${file.name}.`);
  } else {
    if (r.rows * r.cols !== n()) {
      if (S.patterns.length) throw new Error(`${file.name} holds ${r.rows * r.cols} neurons, the grid ${n()}: clear the memory to load it`);
      setSize(r.rows, r.cols, true);
    }
    S.state = Int8Array.from(r.patterns[0]);
    S.label = base;
    edited(`Loaded the grid from ${file.name}.`);
    S.cue = Int8Array.from(S.state);
  }
}

// ------------------------------------------------------------------ the address bar

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function bytesTo64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const v = (bytes[i] << 16) | ((bytes[i + 1] || 0) << 8) | (bytes[i + 2] || 0);
    const chars = i + 1 >= bytes.length ? 2 : i + 2 >= bytes.length ? 3 : 4;
    for (let k = 0; k < chars; k++) s += B64[(v >> (18 - 6 * k)) & 63];
  }
  return s;
}

function bytesFrom64(s) {
  const out = [];
  for (let i = 0; i < s.length; i += 4) {
    const chunk = s.slice(i, i + 4);
    let v = 0;
    for (let k = 0; k < 4; k++) v = (v << 6) | (k < chunk.length ? Math.max(0, B64.indexOf(chunk[k])) : 0);
    out.push((v >> 16) & 255);
    if (chunk.length > 2) out.push((v >> 8) & 255);
    if (chunk.length > 3) out.push(v & 255);
  }
  return out;
}

// ±1 values as bits ("b…"), or values −2..2 in 4 bits each ("q…").
function encodeValues(values) {
  if (values.every((v) => v === 1 || v === -1)) {
    const bytes = new Uint8Array(Math.ceil(values.length / 8));
    values.forEach((v, i) => { if (v > 0) bytes[i >> 3] |= 128 >> (i & 7); });
    return 'b' + bytesTo64(bytes);
  }
  const bytes = new Uint8Array(Math.ceil(values.length / 2));
  values.forEach((v, i) => { bytes[i >> 1] |= (Math.max(-2, Math.min(2, v)) + 2) << (i & 1 ? 0 : 4); });
  return 'q' + bytesTo64(bytes);
}

function decodeValues(s, count) {
  const bytes = bytesFrom64(s.slice(1));
  const out = new Int8Array(count);
  for (let i = 0; i < count; i++) {
    out[i] = s[0] === 'b' ? ((bytes[i >> 3] >> (7 - (i & 7))) & 1 ? 1 : -1)
      : (((bytes[i >> 1] || 0) >> (i & 1 ? 0 : 4)) & 15) - 2;
  }
  return out;
}

const CONTROLS = {
  model: 'model', deg: 'degree', beta: 'beta', rule: 'rule', norm: 'normalization', kappa: 'kappa',
  epochs: 'epochs', act: 'activity', dil: 'dilution', th: 'threshold', dyn: 'dynamics', tie: 'tie',
  T: 'temperature', budget: 'budget', speed: 'speed', flip: 'noise',
};

let restoring = false;

function setupParams() {
  const q = new URLSearchParams();
  if (S.mode === 'simulate') { q.set('cell', 'simulate'); q.set('seed', S.sim.seed); return q; }
  if (S.mode === 'crosstalk') { q.set('cell', 'crosstalk'); q.set('seed', S.cross.seed); return q; }
  q.set('g', `${S.rows}x${S.cols}`);
  for (const p of S.patterns) q.append('p', `${p.label}~${encodeValues(p.values)}`);
  q.set('c', encodeValues(S.cue || S.state));
  if (S.cue) q.set('cue', '1');
  if (S.label) q.set('label', S.label);
  for (const [key, id] of Object.entries(CONTROLS)) {
    const el = $(id);
    const v = el.value;
    if (v !== '' && v !== el.dataset.initial) q.set(key, v);
  }
  q.set('seed', S.seed);
  return q;
}

function saveUrl() {
  if (restoring) return;
  const url = '#' + setupParams().toString();
  if (location.hash !== url) history.replaceState(null, '', url);
}

async function restore(hash) {
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  if (q.has('preset')) { await loadPreset(q.get('preset')); return true; }
  const seed = Number(q.get('seed')) || 1;
  if (q.get('cell') === 'simulate') { S.seed = seed; await loadSimulation(seed); saveUrl(); return true; }
  if (q.get('cell') === 'crosstalk') { S.seed = seed; await presetCrosstalk(seed); saveUrl(); return true; }
  if (!q.has('g')) return false;
  restoring = true;
  try {
    const [rows, cols] = q.get('g').split('x').map(Number);
    if (!(rows > 0 && cols > 0 && rows * cols <= 65536)) throw new Error(`the link's grid ${q.get('g')} is not ROWSxCOLS`);
    leaveMode();
    setSize(rows, cols, true);
    for (const [key, id] of Object.entries(CONTROLS)) {
      const el = $(id);
      el.value = q.has(key) ? q.get(key) : el.dataset.initial;
    }
    S.seed = seed;
    S.patterns = q.getAll('p').map((s) => {
      const cut = s.lastIndexOf('~');
      return { label: s.slice(0, cut), values: decodeValues(s.slice(cut + 1), rows * cols) };
    });
    S.state = q.has('c') ? decodeValues(q.get('c'), rows * cols) : new Int8Array(rows * cols).fill(-1);
    S.label = q.get('label');
    syncControls();
  } finally { restoring = false; }
  networkChanged(`Setup restored from the link: ${S.patterns.length} pattern${S.patterns.length === 1 ? '' : 's'} of ${S.rows} × ${S.cols}.`);
  S.cue = q.get('cue') === '1' ? Int8Array.from(S.state) : null;
  return true;
}

// ------------------------------------------------------------------------ presets

// Sets the network and dynamics controls (the others back to their defaults).
function configure(settings) {
  for (const id of Object.values(CONTROLS)) $(id).value = $(id).dataset.initial;
  for (const [id, v] of Object.entries(settings)) $(id).value = String(v);
  syncControls();
}

async function setup({ rows, cols, patterns, settings, seed }) {
  stopPlaying();
  leaveMode();
  S.seed = seed || 1;
  setSize(rows, cols, true);
  configure(settings);
  S.patterns = patterns;
  S.label = null;
  networkChanged(null);
}

const PRESETS = {
  'random-network': async () => { S.seed = 1; await loadSimulation(1); },
  crosstalk: async () => presetCrosstalk(1),
  'one-pattern': async () => {
    const xi = (await generatePattern('random', 10, 10, { seed: 3 })).pattern;
    const other = (await generatePattern('random', 10, 10, { seed: 30 })).pattern;
    await setup({ rows: 10, cols: 10, seed: 3, patterns: [{ values: Int8Array.from(xi), label: 'ξ¹' }],
      settings: { normalization: 'none', dynamics: 'async', tie: 'minus', budget: 10, speed: 70 } });
    cue(xi.slice(0, 75).concat(other.slice(75)), 'S = ¾ ξ¹, then random');
    note('The page\'s cell "one stored pattern": N = 100, T_ij = ξ¹_i ξ¹_j, S starts with 75 neurons of ξ¹ and 25 random ones; 1000 random single-neuron updates (10 sweeps) with sign(h > 0).');
  },
  'five-neurons': async () => {
    const start = (await generatePattern('random', 1, 5, { seed: 4 })).pattern;
    await setup({ rows: 1, cols: 5, seed: 4, patterns: [{ values: Int8Array.from([1, -1, -1, 1, 1]), label: 'csi' }],
      settings: { normalization: 'none', dynamics: 'sync', tie: 'minus', budget: 9, speed: 20 } });
    cue(start, 'random start');
    const correct = start.filter((v, i) => v === [1, -1, -1, 1, 1][i]).length;
    note(`The page's five neurons: csi = [1, −1, −1, 1, 1], W = csi csiᵀ, a random start with ${correct} of 5 values correct, synchronous steps with sign(x > 0). With 4 or 5 correct the state reaches csi, with 0 or 1 its reversal −csi.`);
  },
  letters: async () => {
    const names = [['checkerboard', 'checkerboard'], ['x', 'X'], ['page-a', 'A']];
    const pats = [];
    for (const [kind, name] of names) pats.push({ values: Int8Array.from((await generatePattern(kind, 5, 5)).pattern), label: name });
    await setup({ rows: 5, cols: 5, seed: 5, patterns: pats,
      settings: { normalization: 'none', dynamics: 'sync', tie: 'plus', budget: 10, noise: 20, speed: 20 } });
    const r = await api('/api/corrupt', { state: Array.from(pats[1].values), flip: 0.2, seed: 5 });
    cue(r.state, 'X, 20 % flipped');
    note('The page\'s letters: the checkerboard, X and A stored together (W = Σ ξξᵀ), the X with 20 % of its pixels flipped, synchronous updates with sign(x ≥ 0) until nothing changes (at most 10 steps). The three drawings overlap strongly, so the cue may fall into a mixture.');
  },
  'images-01': async () => {
    const bu = (await generatePattern('page-bu', 100, 100)).pattern;
    const bc = (await generatePattern('page-bc', 100, 100)).pattern;
    await setup({ rows: 100, cols: 100, seed: 6, patterns: [{ values: Int8Array.from(bu), label: 'BU' }],
      settings: { rule: 'outer01', normalization: 'none', dynamics: 'sync', tie: 'minus', budget: 4, speed: 10 } });
    const r = await api('/api/corrupt', { state: bc, binary: true, add_noise: true, seed: 6 });
    cue(r.state, 'BC (0/1) + random ±1');
    note('The page\'s 0/1 rule: W = v vᵀ of the 0/1 image BU alone, the cue BC (0/1) plus a random ±1 on every pixel, synchronous steps with sign(x > 0). Every weight is ≥ 0: one step turns on exactly the BU pixels, whatever the cue.');
  },
  'images-masked': async () => {
    const bu = (await generatePattern('page-bu', 100, 100)).pattern;
    const bc = (await generatePattern('page-bc', 100, 100)).pattern;
    await setup({ rows: 100, cols: 100, seed: 7, patterns: [{ values: Int8Array.from(bu), label: 'BU' }, { values: Int8Array.from(bc), label: 'BC' }],
      settings: { rule: 'outer01', normalization: '1/N', dynamics: 'sync', tie: 'minus', budget: 4, speed: 10 } });
    const r = await api('/api/corrupt', { state: bu, rows: 100, cols: 100, binary: true, add_noise: true, mask: 'bottom-half', seed: 7 });
    cue(r.state, 'BU (0/1) + noise, second half zeroed');
    note('The page\'s W2: BU and BC as 0/1 vectors, normalised by 1/N; the cue is BU plus random ±1 with its second half (the bottom 50 rows) set to 0. One step turns on the union of BU and BC: the 0/1 rule cannot tell them apart.');
  },
  'images-hebb': async () => {
    const pats = [];
    for (const [kind, name] of [['page-bu', 'BU'], ['page-bc', 'BC'], ['page-star', 'star']]) {
      pats.push({ values: Int8Array.from((await generatePattern(kind, 100, 100)).pattern), label: name });
    }
    await setup({ rows: 100, cols: 100, seed: 8, patterns: pats,
      settings: { rule: 'hebb', dynamics: 'sync', tie: 'minus', budget: 20, speed: 10 } });
    const r = await api('/api/corrupt', { state: Array.from(pats[0].values), rows: 100, cols: 100, flip: 0.1, mask: 'bottom-half', seed: 8 });
    cue(r.state, 'BU, 10 % flipped, half masked');
    note('The bipolar Hebb rule stores BU, BC and the star; the cue is BU with 10 % of its pixels flipped and its bottom half unknown. The rule subtracts for disagreement as much as it adds for agreement, and the masked half comes back.');
  },
  'two-patterns': async () => {
    const x1 = (await generatePattern('random', 10, 10, { seed: 71 })).pattern;
    const x2 = (await generatePattern('random', 10, 10, { seed: 72 })).pattern;
    await setup({ rows: 10, cols: 10, seed: 7, patterns: [{ values: Int8Array.from(x1), label: 'ξ¹' }, { values: Int8Array.from(x2), label: 'ξ²' }],
      settings: { normalization: 'none', dynamics: 'async', tie: 'minus', budget: 10, speed: 70 } });
    cue(x1.slice(0, 75).concat(x2.slice(75)), 'S = ¾ ξ¹ + ¼ ξ²');
    note('The page\'s two stored patterns: T_ij = ξ¹ξ¹ᵀ + ξ²ξ²ᵀ, S = the first 75 neurons of ξ¹ and the last 25 of ξ²; 1000 random single-neuron updates. The fields point mostly along ξ¹, and the state falls into it.');
  },
};

async function presetCrosstalk(seed) {
  const xi = (await generatePattern('random', 10, 10, { seed: 21 })).pattern;
  const other = (await generatePattern('random', 10, 10, { seed: 22 })).pattern;
  await setup({ rows: 10, cols: 10, seed, patterns: [{ values: Int8Array.from(xi), label: 'ξ' }], settings: {} });
  cue(xi.slice(0, 50).concat(other.slice(50)), 'S copies ξ on 50 neurons');
  await loadCrosstalk(seed);
}

function cue(values, name) {
  S.state = Int8Array.from(values);
  S.label = name;
  resetHistory();
  S.cue = Int8Array.from(S.state);
  drawGrid();
  drawPlots();
  saveUrl();
}

async function loadPreset(name) {
  const fn = PRESETS[name];
  if (!fn) throw new Error(`no preset named "${name}": choose one from the list`);
  S.preset = name;
  $('preset').value = name;
  await fn();
  $('speed').dispatchEvent(new Event('input'));
  if (S.mode === 'memory') {
    status(`Preset loaded: ${$('preset').selectedOptions[0].textContent}. Press Play.`);
    setOutcome('ready');
  }
  saveUrl();
}

// ---------------------------------------------------------------------- controls

function blurIfMouse(ev) {
  // After a mouse click, give the keys back to the page (Space = step, not "click again").
  if (ev && ev.detail > 0 && ev.currentTarget && ev.currentTarget.blur) ev.currentTarget.blur();
}

// Actions run one after another, so that a key pressed while a request is on its way
// acts on the state that request produces.
let queueTail = Promise.resolve();
function act(fn) {
  return (...args) => {
    queueTail = queueTail.then(() => fn(...args)).catch(fail);
    return queueTail;
  };
}

function on(id, fn) {
  const run = act(fn);
  $(id).addEventListener('click', (ev) => { blurIfMouse(ev); run(ev); });
}

// Shows each option of the network for the model and rule it belongs to.
function syncControls() {
  const m = model(), r = rule();
  document.querySelectorAll('[data-for-model]').forEach((el) => {
    el.hidden = !el.dataset.forModel.split(' ').includes(m);
  });
  document.querySelectorAll('[data-for-rule]').forEach((el) => {
    el.hidden = m !== 'classical' || !el.dataset.forRule.split(' ').includes(r);
  });
  const classical = m === 'classical';
  if (S.mode === 'memory') energyCaption();
  $('temperature').disabled = !classical;
  $('temperature-out').textContent = classical ? `T = ${$('temperature').value}` : 'T = 0 (this model)';
  $('speed').dispatchEvent(new Event('input'));
  describeDynamics();
  explain();
}

on('store', store);
on('clear-memory', () => { leaveMode(); S.patterns = []; networkChanged('Memory cleared.'); });
on('clear-grid', () => { leaveMode(); S.state = new Int8Array(n()).fill(-1); S.label = null; edited('Grid cleared.'); });
on('invert', () => { leaveMode(); S.state = S.state.map((v) => -v); S.label = null; edited('Inverted.'); });
on('generate', generate);
on('flip', () => corrupt('flip'));
on('mask-btn', () => corrupt('mask'));
on('add-noise', () => corrupt('noise'));
on('step', () => step(false));
on('sweep', () => step(true));
on('play', togglePlay);
on('reset', resetToCue);
on('export-state-npy', () => download('grid.npy', npy(S.mode === 'memory' ? S.state : new Int8Array(0), [S.rows, S.cols])));
on('export-state-png', () => exportPng());
on('export-patterns-npy', () => {
  if (!S.patterns.length) { status('No pattern stored yet: nothing to export.', 'error'); return; }
  const all = new Int8Array(S.patterns.length * n());
  S.patterns.forEach((p, k) => all.set(p.values, k * n()));
  download('patterns.npy', npy(all, [S.patterns.length, S.rows, S.cols]));
  status(`Exported ${S.patterns.length} patterns as patterns.npy: hopfield recall --patterns patterns.npy reads it.`);
});
on('share', async () => {
  saveUrl();
  try {
    await navigator.clipboard.writeText(location.href);
    status('Link copied: it holds the whole setup.');
  } catch (e) {
    status('The address bar holds the whole setup: copy it from there.');
  }
});

// One pixel per neuron: on black, off white, unknown grey (as hopfield writes PNGs).
function exportPng() {
  const cv = document.createElement('canvas');
  cv.width = S.cols; cv.height = S.rows;
  const ctx = cv.getContext('2d');
  const img = ctx.createImageData(S.cols, S.rows);
  S.state.forEach((v, i) => {
    const g = v > 0 ? 0 : v < 0 ? 255 : 128;
    img.data.set([g, g, g, 255], 4 * i);
  });
  ctx.putImageData(img, 0, 0);
  return new Promise((done) => cv.toBlob((blob) => { download('grid.png', blob); done(); }, 'image/png'));
}

$('import-patterns').addEventListener('change', (ev) => act(() => importFile(ev.target, 'patterns'))());
$('import-state').addEventListener('change', (ev) => act(() => importFile(ev.target, 'state'))());
$('preset').addEventListener('change', () => {
  const v = $('preset').value;
  if (v) act(() => loadPreset(v))();
});
$('size').addEventListener('change', () => {
  const [r, c] = $('size').value.split('x').map(Number);
  leaveMode();
  setSize(r, c, false);
});
$('kind').addEventListener('change', () => {
  const k = $('kind').value;
  $('text-field').hidden = !(k === 'letter' || k === 'text');
  if (k === 'text' && $('text').value.length < 2) $('text').value = 'HI';
});
$('text').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') act(generate)(); });
$('noise').addEventListener('input', () => { $('noise-out').textContent = `${$('noise').value} %`; saveUrl(); });
$('temperature').addEventListener('input', () => {
  $('temperature-out').textContent = `T = ${$('temperature').value}`;
  const wasPlaying = S.playing;
  stopPlaying();
  resetHistory();
  setOutcome('ready');
  drawPlots();
  saveUrl();
  status(hot() ? `T = ${temperature()}: stochastic updates. Play runs until you stop it.` : 'T = 0: deterministic updates.');
  if (wasPlaying) status('Temperature changed: the run stopped; play again.');
});
$('speed').addEventListener('input', () => {
  const v = speed();
  $('speed-out').textContent = `${v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : Math.round(v)} sweeps/s`;
});
$('speed').addEventListener('change', saveUrl);
$('budget').addEventListener('change', saveUrl);
for (const id of ['model', 'degree', 'beta', 'rule', 'normalization', 'kappa', 'epochs', 'activity', 'dilution', 'threshold', 'tie']) {
  $(id).addEventListener('change', () => {
    syncControls();
    networkChanged(`Network changed (${$(id).labels[0].textContent.toLowerCase()}); runs start again from t = 0.`);
  });
}
$('dynamics').addEventListener('change', () => {
  stopPlaying();
  resetHistory();
  setOutcome('ready');
  renderThumbs();
  drawPlots();
  drawGrid();
  describeDynamics();
  saveUrl();
  status(`Dynamics: ${dynamics()}. Runs start again from t = 0.`);
});

function describeDynamics() {
  const d = dynamics();
  $('step').title = d === 'async' ? 'One neuron (Space)' : d === 'sync' ? 'All neurons at once (Space)' : 'One sweep (Space)';
  $('sweep').title = d === 'async' ? 'N single updates' : 'One step: every neuron once';
  $('dynamics-hint').textContent = model() === 'modern'
    ? 'modern: every update moves all components at once, ξ ← X softmax(β Xᵀξ), whatever the update order.'
    : {
      sync: 'sync: every neuron at once, from the old state (it may oscillate). Step = one update of all.',
      async: 'async: one neuron drawn at random per step, as in the course page’s cells. Sweep = N steps.',
      sweep: 'sweep: every neuron once per step, in a new random order.',
      sequential: 'sequential: every neuron once per step, in the order 1, 2, …, N.',
    }[d];
}

document.addEventListener('keydown', (ev) => {
  if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
  const t = ev.target;
  const tag = t && t.tagName;
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA') return;
  if (tag === 'BUTTON' && (ev.key === ' ' || ev.key === 'Enter')) return;
  const k = ev.key.toLowerCase();
  const actions = {
    ' ': () => step(false), p: togglePlay, s: store, n: () => corrupt('flip'),
    m: () => corrupt('mask'), r: resetToCue,
  };
  if (actions[k]) { ev.preventDefault(); act(actions[k])(); }
});

let resizeTimer = 0;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => { drawGrid(); drawPlots(); }, 60);
});
window.addEventListener('hashchange', () => {
  if (location.hash !== '#' + setupParams().toString()) act(() => restore(location.hash))();
});

// Start: the setup of the link, or an empty 10 × 10 grid.
for (const id of Object.values(CONTROLS)) $(id).dataset.initial = $(id).value;
describeDynamics();
syncControls();
renderThumbs();
drawGrid();
drawPlots();
act(async () => {
  if (!(await restore(location.hash))) { updateWeights(); saveUrl(); }
})();
api('/api/limits').then((l) => {
  document.querySelector('.keys').title =
    `Server limits: N ≤ ${l.max_neurons}, P ≤ ${l.max_patterns}, body ≤ ${l.max_body_bytes} bytes.`;
}).catch(fail);
