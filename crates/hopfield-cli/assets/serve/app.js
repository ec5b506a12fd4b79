// The Hopfield explorer's page. Drawing, plotting and bookkeeping happen here; every
// computation (recall with its per-step energy and overlaps, generators, noise, the
// weight image) is asked of the hopfield binary through its JSON API (docs/api.md).
'use strict';

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#d97706', '#7c3aed',
  '#0891b2', '#db2777', '#65a30d', '#9333ea', '#ea580c'];
const CELL = { on: '#1e293b', off: '#ffffff', unknown: '#b8c2d1', line: '#e2e8f0' };
const MAX_TIME = 200;          // sweeps before a run is called unconverged
const $ = (id) => document.getElementById(id);

const S = {
  rows: 10, cols: 10,
  state: new Int8Array(100).fill(-1),
  cue: null,                  // the state a run started from, for Reset
  patterns: [],               // {values: Int8Array, label: string}
  hist: { t: [], e: [], m: [] },
  time: 0,                    // in sweeps (a sync step or a sweep is 1, an async update 1/N)
  playing: false,
  busy: false,
  requests: 0,                // seeds of successive requests
  cursor: null,               // keyboard cell on the grid
  hit: null,                  // index of the recalled pattern, highlighted
  weightsFor: '',
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

function network() {
  const theta = parseFloat($('threshold').value);
  return {
    patterns: S.patterns.map((p) => Array.from(p.values)),
    rule: $('rule').value,
    tie: $('tie').value,
    threshold: Number.isFinite(theta) ? theta : 0,
  };
}

const n = () => S.rows * S.cols;
const dynamics = () => $('dynamics').value;
const stepLength = () => (dynamics() === 'async' ? 1 / n() : 1);

// ------------------------------------------------------------------------- status

function status(text, kind) {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', kind === 'error');
}

function fail(e) { status(e.message || String(e), 'error'); }

function setOutcome(name, detail) {
  const el = $('outcome');
  el.textContent = name;
  el.className = 'badge ' + (name || 'idle');
  S.hit = detail !== undefined && detail !== null && name === 'recalled' ? detail : null;
  renderThumbs();
}

function describe(r) {
  const unit = dynamics() === 'sync' ? 'step' : 'sweep';
  const when = `after ${fmtTime(S.time)} ${unit}${S.time === 1 ? '' : 's'}`;
  const label = (k) => `pattern ${k + 1}${S.patterns[k] ? ` (${S.patterns[k].label})` : ''}`;
  switch (r.outcome) {
    case 'recalled': return `Recalled ${label(r.pattern)} ${when}.`;
    case 'reversed': return `Settled on the reversal of ${label(r.pattern)} ${when}: −ξ is an attractor too.`;
    case 'mixture': return `Settled on a mixture of three stored patterns ${when}.`;
    case 'spurious': return `Settled on a spurious state ${when}: a fixed point that is no stored pattern.`;
    case 'cycle': return `Entered a ${r.description} ${when} (synchronous updates can oscillate).`;
    default: return `Not settled ${when}.`;
  }
}

function fmtTime(t) {
  return Number.isInteger(t) ? String(t) : t.toFixed(2);
}

// --------------------------------------------------------------------------- grid

const grid = $('grid');
const gctx = grid.getContext('2d');

function gridGeometry() {
  const avail = Math.min(grid.parentElement.clientWidth || 400, 560) - 1;
  const cell = Math.max(3, Math.floor(avail / Math.max(S.rows, S.cols)));
  return { cell, w: cell * S.cols, h: cell * S.rows };
}

function drawGrid() {
  const { cell } = gridGeometry();
  const gap = cell >= 8 ? 1 : 0;
  // A one-pixel frame around the cells when they have gaps between them.
  const w = cell * S.cols + gap, h = cell * S.rows + gap;
  const dpr = window.devicePixelRatio || 1;
  if (grid.width !== w * dpr || grid.height !== h * dpr) {
    grid.width = w * dpr; grid.height = h * dpr;
    grid.style.width = w + 'px'; grid.style.height = h + 'px';
  }
  gctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  gctx.fillStyle = gap ? CELL.line : CELL.off;
  gctx.fillRect(0, 0, w, h);
  for (let r = 0; r < S.rows; r++) {
    for (let c = 0; c < S.cols; c++) {
      const v = S.state[r * S.cols + c];
      gctx.fillStyle = v > 0 ? CELL.on : v < 0 ? CELL.off : CELL.unknown;
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
  grid.dataset.state = stateText(S.state);
  $('time').textContent = `t = ${fmtTime(S.time)}`;
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
  resetHistory();
  S.cue = null;
  setOutcome('ready');
  drawGrid();
  drawPlots();
  if (message) status(message);
}

function resetHistory() {
  S.hist = { t: [], e: [], m: [] };
  S.time = 0;
}

// ------------------------------------------------------------------------- memory

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
    b.dataset.pattern = stateText(p.values);
    const cv = document.createElement('canvas');
    const scale = Math.max(1, Math.floor(44 / Math.max(S.rows, S.cols)));
    cv.width = S.cols * scale; cv.height = S.rows * scale;
    const side = 44;
    cv.style.width = `${Math.round(side * S.cols / Math.max(S.rows, S.cols))}px`;
    cv.style.height = `${Math.round(side * S.rows / Math.max(S.rows, S.cols))}px`;
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
  $('load').textContent = p ? `P = ${p}, α = P/N = ${+(p / n()).toPrecision(2)}` : '';
  $('clear-memory').disabled = p === 0;
  for (const id of ['step', 'play']) $(id).disabled = p === 0;
  $('sweep').disabled = p === 0;
}

function store() {
  if (S.state.some((v) => v === 0)) {
    status('The grid has unknown (grey) cells: only ±1 patterns can be stored. Clear or redraw them first.', 'error');
    return;
  }
  if (S.patterns.some((p) => p.values.every((v, i) => v === S.state[i]))) {
    status('This pattern is stored already.', 'error');
    return;
  }
  const label = S.label || 'drawn';
  S.patterns.push({ values: Int8Array.from(S.state), label });
  networkChanged(`Stored pattern ${S.patterns.length} (${label}). Store more, or corrupt it and play.`);
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
  if (message) status(message);
}

// --------------------------------------------------------------------- generators

async function generate() {
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
  const body = { kind, rows: S.rows, cols: S.cols, seed: 1000 + S.requests++ };
  if (kind === 'letter' || kind === 'text') body.text = kind === 'letter' ? text.slice(0, 1) : text;
  if (kind === 'rows') body.width = Math.max(1, Math.round(S.rows / 10));
  try {
    const r = await api('/api/generate', body);
    S.state = Int8Array.from(r.pattern);
    S.label = kind === 'letter' ? body.text.toUpperCase() : kind === 'text' ? body.text : kind.replace('page-', '');
    edited(`Generated ${r.description}.`);
  } catch (e) { fail(e); }
}

function setSize(rows, cols, quiet) {
  const sel = $('size');
  sel.value = `${rows}x${cols}`;
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
  const body = { state: Array.from(S.state), rows: S.rows, cols: S.cols, seed: 2000 + S.requests++ };
  if (kind === 'flip') {
    body.flip = parseInt($('noise').value, 10) / 100;
  } else {
    const m = $('mask').value;
    if (m === 'centre') {
      const h = Math.max(1, Math.round(S.rows / 2)), w = Math.max(1, Math.round(S.cols / 2));
      body.mask = `rect:${Math.floor((S.rows - h) / 2)},${Math.floor((S.cols - w) / 2)},${h}x${w}`;
    } else {
      body.mask = m;
    }
  }
  try {
    const r = await api('/api/corrupt', body);
    const label = S.label;
    S.state = Int8Array.from(r.state);
    edited(kind === 'flip'
      ? `Flipped ${r.flipped} of ${n()} neurons. Now step or play the dynamics.`
      : `Masked ${r.masked} neurons (grey = unknown). Now step or play the dynamics.`);
    S.label = label;
    S.cue = Int8Array.from(S.state);
  } catch (e) { fail(e); }
}

// ----------------------------------------------------------------------- dynamics

// One request to the engine from the current state; its per-step records are kept.
async function runChunk(options) {
  const N = n();
  const body = Object.assign(network(), {
    cue: Array.from(S.state),
    dynamics: options.dynamics || dynamics(),
    seed: 1 + S.requests++,
    temperature: Number($('temperature').value),
    states: options.states,
    clamp: true,
  }, options.body || {});
  if (options.maxSteps) body.max_steps = options.maxSteps;
  if (options.states && body.dynamics === 'async') body.states_every = Math.max(1, Math.floor(N / 32));
  return api('/api/recall', body);
}

function appendHistory(r, from, to, dt, t0) {
  for (let k = from; k <= to; k++) {
    if (k === 0 && S.hist.t.length) continue;   // step 0 is the last point already
    S.hist.t.push(t0 + k * dt);
    S.hist.e.push(r.energy[k]);
    S.hist.m.push(r.overlaps[k]);
  }
}

function finishRun(r) {
  setOutcome(r.outcome, r.pattern);
  status(describe(r));
}

async function step(sweep) {
  if (!ready()) return;
  stopPlaying();
  if (!S.cue) S.cue = Int8Array.from(S.state);
  S.busy = true;
  try {
    const dt = stepLength();
    const steps = sweep && dynamics() === 'async' ? n() : 1;
    const r = await runChunk({ maxSteps: steps, states: false });
    appendHistory(r, 0, r.steps, dt, S.time);
    S.time += r.steps * dt;
    S.state = Int8Array.from(r.state);
    drawGrid();
    drawPlots();
    if (r.converged || r.outcome === 'cycle') {
      finishRun(r);
    } else {
      setOutcome('running');
      status(`${r.flips} neuron${r.flips === 1 ? '' : 's'} changed; not at a fixed point yet.`);
    }
  } catch (e) { fail(e); } finally { S.busy = false; }
}

function ready() {
  if (!S.patterns.length) {
    status('Store at least one pattern first: the network has no memories yet.', 'error');
    return false;
  }
  if (S.busy) return false;
  return true;
}

// Play: fetch a chunk with its states, animate it at the chosen speed, fetch the next.
const play = { chunk: null, shown: 0, clock: 0, last: 0, raf: 0, dt: 1, t0: 0 };

function speed() {
  const v = parseInt($('speed').value, 10) / 100;        // 0..1
  return 0.25 * Math.pow(2, v * 8);                       // 0.25 .. 64 sweeps per second
}

function togglePlay() {
  if (S.playing) { stopPlaying(); status('Paused.'); return; }
  if (!ready()) return;
  if (!S.cue) S.cue = Int8Array.from(S.state);
  S.playing = true;
  $('play').textContent = '❚❚ Pause';
  setOutcome('running');
  status('Running…');
  play.chunk = null;
  nextChunk();
}

function stopPlaying() {
  if (!S.playing) return;
  S.playing = false;
  cancelAnimationFrame(play.raf);
  play.chunk = null;
  $('play').textContent = '▶ Play';
}

async function nextChunk() {
  if (!S.playing) return;
  if (S.time >= MAX_TIME) {
    stopPlaying();
    setOutcome('unconverged');
    status(`Not settled after ${MAX_TIME} sweeps: stopped.`);
    return;
  }
  S.busy = true;
  let r;
  try {
    r = await runChunk({ states: true });
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
  play.dt = stepLength();
  play.t0 = S.time;
  play.clock = 0;
  play.last = performance.now();
  play.raf = requestAnimationFrame(frame);
}

function frame(now) {
  if (!S.playing || !play.chunk) return;
  const r = play.chunk;
  play.clock += Math.min(0.25, (now - play.last) / 1000) * speed();
  play.last = now;
  // Steps of this chunk due by now, then the last recorded state at or before that step.
  const due = Math.min(r.steps, Math.floor(play.clock / play.dt + 1e-9) + 1);
  if (due > play.shown) {
    appendHistory(r, play.shown === 0 ? 0 : play.shown + 1, due, play.dt, play.t0);
    play.shown = due;
    let idx = 0;
    while (idx + 1 < r.state_steps.length && r.state_steps[idx + 1] <= due) idx++;
    S.state = Int8Array.from(r.states[idx]);
    S.time = play.t0 + due * play.dt;
    drawGrid();
    drawPlots();
  }
  if (play.shown >= r.steps) {
    S.state = Int8Array.from(r.state);
    S.time = play.t0 + r.steps * play.dt;
    drawGrid();
    if (r.converged || r.outcome === 'cycle') {
      stopPlaying();
      finishRun(r);
      drawPlots();
      return;
    }
    play.chunk = null;
    nextChunk();
    return;
  }
  play.raf = requestAnimationFrame(frame);
}

function resetToCue() {
  if (!S.cue) { status('Nothing to reset: no run has started from this state.'); return; }
  const cue = S.cue;
  S.state = Int8Array.from(cue);
  edited('Back to the cue.');
  S.cue = cue;
}

// -------------------------------------------------------------------------- plots

function setupCanvas(cv) {
  const dpr = window.devicePixelRatio || 1;
  const w = cv.clientWidth || 300, h = cv.clientHeight || 160;
  if (cv.width !== Math.round(w * dpr) || cv.height !== Math.round(h * dpr)) {
    cv.width = Math.round(w * dpr); cv.height = Math.round(h * dpr);
  }
  const ctx = cv.getContext('2d');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  return { ctx, w, h };
}

function niceTicks(lo, hi, count) {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(+v.toFixed(10));
  return ticks;
}

function fmtTick(v) {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e5 || a < 0.01) return v.toExponential(0).replace('e', '·10^').replace('^+', '^');
  if (a >= 1000) return String(Math.round(v));
  return String(+v.toPrecision(3));
}

// A line plot: series = [{values, color}], xs shared; yRange optional.
function linePlot(cv, xs, series, opts) {
  const { ctx, w, h } = setupCanvas(cv);
  const pad = { l: 46, r: 10, t: 8, b: 26 };
  const pw = w - pad.l - pad.r, ph = h - pad.t - pad.b;
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#64748b';
  if (!xs.length) {
    ctx.strokeStyle = '#e2e8f0';
    ctx.strokeRect(pad.l, pad.t, pw, ph);
    ctx.textAlign = 'center';
    ctx.fillText(opts.empty, pad.l + pw / 2, pad.t + ph / 2);
    return;
  }
  const xmax = Math.max(1, xs[xs.length - 1]);
  let lo = opts.yRange ? opts.yRange[0] : Infinity, hi = opts.yRange ? opts.yRange[1] : -Infinity;
  if (!opts.yRange) {
    for (const s of series) for (const v of s.values) { if (v < lo) lo = v; if (v > hi) hi = v; }
    const m = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
    lo -= m; hi += m;
  }
  const X = (x) => pad.l + (x / xmax) * pw;
  const Y = (y) => pad.t + (1 - (y - lo) / (hi - lo)) * ph;
  ctx.strokeStyle = '#eef2f7';
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const v of niceTicks(lo, hi, 4)) {
    const y = Math.round(Y(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(pad.l, y); ctx.lineTo(pad.l + pw, y); ctx.stroke();
    ctx.fillText(fmtTick(v), pad.l - 5, y);
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const v of niceTicks(0, xmax, 5)) {
    const x = Math.round(X(v)) + 0.5;
    ctx.beginPath(); ctx.moveTo(x, pad.t); ctx.lineTo(x, pad.t + ph); ctx.stroke();
    ctx.fillText(fmtTick(v), x, pad.t + ph + 4);
  }
  if (opts.zero && lo < 0 && hi > 0) {
    ctx.strokeStyle = '#cbd5e1';
    ctx.beginPath(); ctx.moveTo(pad.l, Y(0)); ctx.lineTo(pad.l + pw, Y(0)); ctx.stroke();
  }
  ctx.strokeStyle = '#cbd5e1';
  ctx.strokeRect(pad.l + 0.5, pad.t + 0.5, pw, ph);
  ctx.textAlign = 'right';
  ctx.textBaseline = 'bottom';
  ctx.fillText(opts.xLabel, pad.l + pw, h);
  ctx.lineJoin = 'round';
  for (const s of series) {
    ctx.strokeStyle = s.color;
    ctx.lineWidth = s.width || 2;
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
    if (xs.length === 1) {
      ctx.fillStyle = s.color;
      ctx.beginPath(); ctx.arc(X(xs[0]), Y(s.values[0]), 3, 0, 7); ctx.fill();
    }
  }
}

function drawPlots() {
  const H = S.hist;
  const xLabel = dynamics() === 'sync' ? 'time (steps)' : 'time (sweeps)';
  linePlot($('energy-plot'), H.t, [{ values: H.e, color: '#0f172a' }],
    { xLabel, empty: 'Step or play the dynamics to plot the energy' });
  const series = S.patterns.map((p, k) => ({
    values: H.m.map((m) => (m && m[k] !== undefined ? m[k] : 0)), color: COLORS[k % COLORS.length],
  }));
  linePlot($('overlap-plot'), H.t, series,
    { xLabel, yRange: [-1.08, 1.08], zero: true, empty: 'Overlaps appear here during a run' });
  const legend = $('legend');
  legend.textContent = '';
  S.patterns.forEach((p, k) => {
    const span = document.createElement('span');
    const sw = document.createElement('i');
    sw.style.background = COLORS[k % COLORS.length];
    const last = H.m.length ? H.m[H.m.length - 1][k] : null;
    span.append(sw, `${k + 1} · ${p.label}${last !== null && last !== undefined ? `  m = ${last.toFixed(2)}` : ''}`);
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
  const key = JSON.stringify([S.patterns.length, $('rule').value, S.rows, S.cols, S.patterns.map((p) => p.label)]);
  S.weightsFor = key;
  if (!S.patterns.length) {
    cv.width = 1; cv.height = 1;
    ctx.fillStyle = '#f8fafc'; ctx.fillRect(0, 0, 1, 1);
    $('weights-info').textContent = '(store a pattern)';
    $('w-max').textContent = ''; $('w-min').textContent = '';
    return;
  }
  try {
    const r = await api('/api/weights', { patterns: network().patterns, rule: $('rule').value, side: 128 });
    if (S.weightsFor !== key) return;
    cv.width = r.side; cv.height = r.side;
    const img = ctx.createImageData(r.side, r.side);
    const scale = Math.max(Math.abs(r.min), Math.abs(r.max)) || 1;
    r.values.forEach((v, i) => {
      const [R, G, B] = diverging(v / scale);
      img.data[4 * i] = R; img.data[4 * i + 1] = G; img.data[4 * i + 2] = B; img.data[4 * i + 3] = 255;
    });
    ctx.putImageData(img, 0, 0);
    $('weights-info').textContent = r.exact
      ? `${r.n} × ${r.n}`
      : `${r.n} × ${r.n}, sampled at ${r.side} × ${r.side}`;
    $('w-max').textContent = fmtTick(scale);
    $('w-min').textContent = fmtTick(-scale);
  } catch (e) { fail(e); }
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

on('store', store);
on('clear-memory', () => { S.patterns = []; networkChanged('Memory cleared.'); });
on('clear-grid', () => { S.state = new Int8Array(n()).fill(-1); S.label = null; edited('Grid cleared.'); });
on('invert', () => { S.state = S.state.map((v) => -v); S.label = null; edited('Inverted.'); });
on('generate', generate);
on('flip', () => corrupt('flip'));
on('mask-btn', () => corrupt('mask'));
on('step', () => step(false));
on('sweep', () => step(true));
on('play', togglePlay);
on('reset', resetToCue);

$('size').addEventListener('change', () => {
  const [r, c] = $('size').value.split('x').map(Number);
  setSize(r, c, false);
});
$('kind').addEventListener('change', () => {
  const k = $('kind').value;
  $('text-field').hidden = !(k === 'letter' || k === 'text');
  if (k === 'text' && $('text').value.length < 2) $('text').value = 'HI';
});
$('text').addEventListener('keydown', (ev) => { if (ev.key === 'Enter') act(generate)(); });
$('noise').addEventListener('input', () => { $('noise-out').textContent = `${$('noise').value} %`; });
$('temperature').addEventListener('input', () => { $('temperature-out').textContent = $('temperature').value; });
$('speed').addEventListener('input', () => {
  const v = speed();
  $('speed-out').textContent = `${v < 1 ? v.toFixed(2) : v < 10 ? v.toFixed(1) : Math.round(v)} sweeps/s`;
});
for (const id of ['rule', 'threshold', 'tie']) {
  $(id).addEventListener('change', () => networkChanged(`Network changed (${id}); runs start again from t = 0.`));
}
$('dynamics').addEventListener('change', () => {
  stopPlaying();
  resetHistory();
  setOutcome('ready');
  renderThumbs();
  drawPlots();
  drawGrid();
  describeDynamics();
  status(`Dynamics: ${dynamics()}. Runs start again from t = 0.`);
});

function describeDynamics() {
  const d = dynamics();
  $('step').title = d === 'async' ? 'One neuron (Space)' : d === 'sync' ? 'All neurons at once (Space)' : 'One sweep (Space)';
  $('sweep').title = d === 'async' ? 'N single updates' : 'One step: every neuron once';
  $('dynamics-hint').textContent = {
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

// Start: an empty 10 × 10 grid and the server's limits in the footer's tooltip.
describeDynamics();
renderThumbs();
drawGrid();
drawPlots();
updateWeights();
api('/api/limits').then((l) => {
  document.querySelector('.keys').title =
    `Server limits: N ≤ ${l.max_neurons}, P ≤ ${l.max_patterns}, body ≤ ${l.max_body_bytes} bytes.`;
}).catch(fail);
