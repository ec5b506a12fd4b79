// End-to-end tests of `hopfield serve` in headless Chromium, as a visitor uses the page:
// a person draws a letter with the mouse, stores it (and two more patterns), corrupts it,
// plays the dynamics and sees the letter come back; every preset of the course page reaches
// the page's outcome; every rule and model runs through the page; the link in the address
// bar restores the setup and the result; exported files are read by the command line; the
// layout holds at four window sizes (screenshots written to docs/); every control is named
// and the live region speaks. Run by scripts/e2e/run.sh, which builds the binary and
// installs Chromium (Debian's) and playwright-core.
//
// Environment: HOPFIELD_BIN (the binary, default target/release/hopfield), CHROMIUM
// (default /usr/bin/chromium), E2E_OUT (directory for screenshots and downloads, default
// target/e2e), E2E_DOCS (directory the README's screenshots are written to, default docs/;
// "none" writes none).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.HOPFIELD_BIN || path.join(root, 'target', 'release', 'hopfield');
const outDir = process.env.E2E_OUT || path.join(root, 'target', 'e2e');
const docsDir = process.env.E2E_DOCS === 'none' ? '' : (process.env.E2E_DOCS || path.join(root, 'docs'));

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic',
];

// Starts `hopfield serve --port 0` and resolves with its address once it prints it.
function startServer() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ['serve', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`hopfield serve printed no address within 20 s\n${out}${err}`));
    }, 20000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving the explorer on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve({ child, url: m[1] }); }
    });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hopfield serve exited with ${code}\n${err}`));
    });
  });
}

let server;
let browser;
let profile;

before(async () => {
  server = await startServer();
  profile = mkdtempSync(path.join(tmpdir(), 'hopfield-e2e-'));
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
  mkdirSync(outDir, { recursive: true });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.child.kill();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

// A new page in a context of its own, with every console error, page error and request to
// another site collected in `problems`.
async function open(options = {}) {
  const context = await browser.newContext(Object.assign({
    viewport: { width: 1400, height: 880 }, deviceScaleFactor: 1, acceptDownloads: true,
  }, options));
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`outside request: ${u}`);
  });
  return { context, page, problems };
}

const gridState = (page) => page.$eval('#grid', (g) => g.dataset.state);
const text = (page, sel) => page.textContent(sel);

// The run's end: an outcome other than ready, running or sampling.
async function played(page, timeout = 30000) {
  await page.waitForFunction(() => {
    const o = document.getElementById('outcome').textContent;
    return !/^(ready|running|sampling)/.test(o) && document.getElementById('play').textContent.includes('Play');
  }, null, { timeout });
  return text(page, '#outcome');
}

async function fastest(page) {
  await page.$eval('#speed', (el) => { el.value = '100'; el.dispatchEvent(new Event('input')); });
}

async function preset(page, name) {
  await page.goto(`${server.url}#preset=${name}`);
  await page.waitForFunction((n) => document.getElementById('preset').value === n &&
    /Preset loaded|loaded|Play draws/.test(document.getElementById('status').textContent), name);
  await fastest(page);
}

// The letter H on a 10 × 10 grid, drawn in three strokes: (row, col) from → to.
const STROKES = [[[1, 2], [8, 2]], [[1, 7], [8, 7]], [[4, 3], [4, 6]]];
const H = (() => {
  const g = Array.from({ length: 10 }, () => Array(10).fill('.'));
  for (const [[r0, c0], [r1, c1]] of STROKES) {
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) g[r][c] = '#';
  }
  return g.map((row) => row.join('')).join('/');
})();

test('draw, store, corrupt and recall a letter in the explorer', { timeout: 60000 }, async () => {
  const { context, page, problems } = await open();
  try {
    await page.goto(server.url);
    await page.waitForSelector('#grid[data-state]');
    const status = () => text(page, '#status');
    assert.equal(await gridState(page), Array(10).fill('..........').join('/'), 'the grid starts empty');

    // Draw the H with the mouse, cell centres from the canvas geometry.
    const box = await page.locator('#grid').boundingBox();
    const cell = box.width / 10;
    const at = (r, c) => [box.x + (c + 0.5) * cell, box.y + (r + 0.5) * cell];
    for (const [from, to] of STROKES) {
      await page.mouse.move(...at(...from));
      await page.mouse.down();
      await page.mouse.move(...at(...to), { steps: 8 });
      await page.mouse.up();
    }
    assert.equal(await gridState(page), H, 'the drawn letter is on the grid');

    // Store it, then generate and store a checkerboard.
    await page.click('#store');
    await page.selectOption('#kind', 'checkerboard');
    await page.click('#generate');
    await page.waitForFunction((h) => document.getElementById('grid').dataset.state !== h, H);
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelectorAll('#thumbs .thumb').length === 2);
    // And a random pattern, stored with the keyboard shortcut too.
    await page.selectOption('#kind', 'random');
    await page.click('#generate');
    await page.waitForFunction(() => /^Generated random/.test(document.getElementById('status').textContent));
    await page.keyboard.press('s');
    await page.waitForFunction(() => document.querySelectorAll('#thumbs .thumb').length === 3);
    const stored = await page.$$eval('#thumbs .thumb', (ts) => ts.map((t) => t.dataset.pattern));
    assert.equal(stored[0], H, 'thumbnail 1 is the letter');
    assert.match(await text(page, '#load'), /P = 3/);
    assert.match(await text(page, '#capacity'), /α = P\/N = 3\/100 = 0\.030/);
    await page.waitForFunction(() => /100 × 100/.test(document.getElementById('weights-info').textContent));

    // Load the letter, flip 20 % of its neurons.
    await page.click('#thumbs li:first-child .thumb');
    assert.equal(await gridState(page), H);
    await page.click('#flip');
    await page.waitForFunction(() => /^Flipped 20 of 100/.test(document.getElementById('status').textContent));
    const cue = await gridState(page);
    const differences = [...cue].filter((ch, i) => ch !== H[i]).length;
    assert.equal(differences, 20, 'the cue differs from the letter in 20 cells');

    // Play the asynchronous dynamics (one random neuron at a time) until the run settles.
    await page.selectOption('#dynamics', 'async');
    await page.click('#play');
    assert.equal(await played(page), 'recalled', await status());
    assert.equal(await gridState(page), H, 'the grid shows the stored letter again');
    assert.match(await status(), /^Recalled pattern 1 \(drawn\) after \d+ updates/);
    assert.match(await page.getAttribute('#thumbs li:first-child .thumb', 'class'), /hit/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// The union of two patterns in the grid's text form: on where either is on.
const union = (a, b) => [...a].map((c, i) => (c === '#' || b[i] === '#' ? '#' : c)).join('');

test('each preset of the course page reaches the page\'s outcome', { timeout: 120000 }, async () => {
  const { context, page, problems } = await open();
  const thumbs = () => page.$$eval('#thumbs .thumb', (ts) => ts.map((t) => t.dataset.pattern));
  try {
    // 1: the random 0/1 network: with couplings ≥ 0 every neuron ends up on.
    await preset(page, 'random-network');
    await page.click('#play');
    assert.equal(await played(page), 'all on');
    assert.match(await text(page, '#status'), /^All 20 neurons on after update \d+, and they stay on/);
    assert.equal(await gridState(page), '1'.repeat(20));

    // 2: crosstalk: the term is Gaussian around 0 (random pairs) and around 50 (50 shared).
    await preset(page, 'crosstalk');
    await page.click('#play');
    assert.equal(await played(page), 'sampled');
    const s2 = await text(page, '#status');
    const means = [...s2.matchAll(/mean (-?[\d.]+)/g)].map((m) => Number(m[1]));
    assert.equal(means.length, 2, s2);
    assert.ok(Math.abs(means[0]) < 3, `random pairs: mean ${means[0]} is within 3 standard errors of 0`);
    assert.ok(Math.abs(means[1] - 50) < 3, `overlap 50: mean ${means[1]} is within 3 standard errors of 50`);
    assert.match(s2, /Both match the Gaussian of theory \(/);

    // 3: one stored pattern, start 3/4 of it: the page's error falls to 0.
    await preset(page, 'one-pattern');
    assert.match(await text(page, '#preset-note'), /1000 random single-neuron updates/);
    await page.click('#play');
    assert.equal(await played(page), 'recalled', await text(page, '#status'));
    assert.match(await text(page, '#status'), /^Recalled pattern 1 \(ξ¹\) after \d+ updates/);
    assert.equal(await gridState(page), (await thumbs())[0]);

    // 4: five neurons: csi from 4 or 5 correct values, −csi from 0 or 1.
    await preset(page, 'five-neurons');
    const correct = Number((await text(page, '#preset-note')).match(/with (\d) of 5 values correct/)[1]);
    await page.click('#play');
    const o4 = await played(page);
    if (correct >= 4) assert.equal(o4, 'recalled');
    else if (correct <= 1) assert.equal(o4, 'reversed');
    else assert.ok(['recalled', 'reversed', 'spurious'].includes(o4), o4);
    assert.match(await text(page, '#status'), /after [12] steps?/);

    // 5: letters: the X with 20 % noise settles within the page's 10 steps on a mixture of
    // the three overlapping drawings, as in the tour (the files test checks the same run
    // against the command line).
    await preset(page, 'letters');
    await page.click('#play');
    assert.equal(await played(page), 'mixture');
    assert.match(await text(page, '#status'), /^Settled on a mixture of three stored patterns after \d steps?\./);

    // 6a: the page's 0/1 rule storing BU alone turns the noisy BC into BU in one step.
    await preset(page, 'images-01');
    await page.click('#play');
    assert.equal(await played(page), 'recalled');
    assert.match(await text(page, '#status'), /^Recalled pattern 1 \(BU\) after 1 step\./);
    assert.equal(await gridState(page), (await thumbs())[0]);
    // Its energy, about −10⁷, keeps its sign on every tick, in distinct scientific labels.
    const ticks = (await page.getAttribute('#energy-plot', 'data-ticks')).split('|');
    assert.ok(ticks.length >= 2 && ticks.every((t) => /^−\d(\.\d+)?×10[⁰¹²³⁴⁵⁶⁷⁸⁹]+$/.test(t)), ticks.join(' '));
    assert.equal(new Set(ticks).size, ticks.length, ticks.join(' '));

    // 6b: BU and BC with the 0/1 rule and 1/N, half masked: the union of both images.
    await preset(page, 'images-masked');
    await page.click('#play');
    const o6b = await played(page);
    const [bu, bc] = await thumbs();
    assert.equal(await gridState(page), union(bu, bc), `outcome ${o6b}: one step turns on the union of BU and BC`);
    assert.equal(o6b, 'spurious');

    // 6c: bipolar Hebb with BU, BC and the star recalls BU from its noisy upper half.
    await preset(page, 'images-hebb');
    await page.click('#play');
    assert.equal(await played(page), 'recalled');
    assert.match(await text(page, '#status'), /^Recalled pattern 1 \(BU\)/);

    // 7: two stored patterns, start ¾ ξ¹ + ¼ ξ²: the state falls into ξ¹.
    await preset(page, 'two-patterns');
    await page.click('#play');
    assert.equal(await played(page), 'recalled');
    assert.match(await text(page, '#status'), /^Recalled pattern 1 \(ξ¹\)/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the tour is served, and each section links to its preset', { timeout: 60000 }, async () => {
  const { context, page, problems } = await open();
  try {
    await page.goto(`${server.url}tour/`);
    const links = await page.$$eval('section .live a', (as) => as.map((a) => a.getAttribute('href')));
    assert.equal(links.length, 8, 'one link per section');
    assert.ok(links.every((l) => /^\/#preset=[a-z0-9-]+$/.test(l)), links.join(' '));
    const images = await page.$$eval('img', (is) => is.map((i) => i.naturalWidth));
    assert.ok(images.length > 5 && images.every((w) => w > 0), 'every figure loads');
    await page.click('#s5 .live a');
    await page.waitForFunction(() => document.getElementById('preset') &&
      document.getElementById('preset').value === 'letters' && document.querySelectorAll('#thumbs .thumb').length === 3);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// Chooses a memory in the page: {model, degree, beta} or {rule, kappa, activity, dilution}.
async function choose(page, m) {
  await page.selectOption('#model', m.model || 'classical');
  if (m.degree) await page.fill('#degree', String(m.degree));
  if (m.beta) await page.fill('#beta', String(m.beta));
  if (!m.model || m.model === 'classical') {
    await page.selectOption('#rule', m.rule);
    if (m.kappa !== undefined) await page.fill('#kappa', String(m.kappa));
    if (m.epochs !== undefined) await page.fill('#epochs', String(m.epochs));
    if (m.activity !== undefined) await page.fill('#activity', String(m.activity));
    await page.fill('#dilution', String(m.dilution || 1));
    await page.locator('#dilution').dispatchEvent('change');
  }
  await page.locator(m.model && m.model !== 'classical' ? '#model' : '#rule').dispatchEvent('change');
}

test('every rule and model runs through the page', { timeout: 120000 }, async () => {
  const { context, page, problems } = await open();
  try {
    await page.goto(server.url);
    await page.waitForSelector('#grid[data-state]');
    // Three random patterns of 100 neurons; the second, 10 % flipped, is the cue.
    await page.selectOption('#kind', 'random');
    for (let k = 1; k <= 3; k++) {
      await page.click('#generate');
      await page.waitForFunction(() => /^Generated random/.test(document.getElementById('status').textContent));
      await page.click('#store');
      await page.waitForFunction((k) => document.querySelectorAll('#thumbs .thumb').length === k, k);
    }
    await page.click('#thumbs li:nth-child(2) .thumb');
    await page.$eval('#noise', (el) => { el.value = '10'; el.dispatchEvent(new Event('input')); });
    await page.click('#flip');
    await page.waitForFunction(() => /^Flipped 10 of 100/.test(document.getElementById('status').textContent));
    const cue = await gridState(page);
    const target = (await page.$$eval('#thumbs .thumb', (ts) => ts.map((t) => t.dataset.pattern)))[1];
    await page.selectOption('#dynamics', 'sweep');
    await fastest(page);
    const memories = [
      { rule: 'hebb' },
      { rule: 'storkey' },
      { rule: 'pseudo-inverse' },
      { rule: 'perceptron', kappa: 0.5, epochs: 200 },
      { rule: 'covariance', activity: 0.5 },
      { rule: 'hebb', dilution: 0.8 },
      { model: 'dense', degree: 3 },
      { model: 'rectified', degree: 4 },
      { model: 'exponential', beta: 0.5 },
      { model: 'modern', beta: 0.2 },
    ];
    for (const m of memories) {
      await choose(page, m);
      await page.click('#thumbs li:nth-child(2) .thumb');
      await page.click('#flip');
      await page.waitForFunction(() => /^Flipped 10 of 100/.test(document.getElementById('status').textContent));
      assert.equal(await gridState(page), cue, 'the same cue for every memory');
      await page.click('#play');
      const o = await played(page);
      assert.equal(o, 'recalled', `${JSON.stringify(m)}: ${await text(page, '#status')}`);
      assert.equal(await gridState(page), target, JSON.stringify(m));
      assert.match(await text(page, '#status'), /^Recalled pattern 2 /);
    }
    // The page's 0/1 rule runs too; it cannot tell three patterns apart.
    await choose(page, { rule: 'outer01' });
    await page.click('#thumbs li:nth-child(2) .thumb');
    await page.click('#flip');
    await page.click('#play');
    const o01 = await played(page);
    assert.ok(!/error/.test(await page.getAttribute('#status', 'class')), await text(page, '#status'));
    assert.notEqual(o01, 'unconverged');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('at T > 0 the run goes on, with the mean overlap and an explanation; Step and Play count alike', { timeout: 60000 }, async () => {
  const { context, page, problems } = await open();
  try {
    await preset(page, 'letters');
    // Step by step to the fixed point, then Play from the same cue: the same numbers.
    await page.selectOption('#dynamics', 'sync');
    const stepped = [];
    for (let k = 0; k < 12; k++) {
      const prev = await text(page, '#status');
      await page.click('#step');
      await page.waitForFunction((p) => document.getElementById('status').textContent !== p, prev);
      const s = await text(page, '#status');
      stepped.push(s);
      if (!/not at a fixed point/.test(s)) break;
    }
    const afterSteps = await text(page, '#status');
    const timeAfterSteps = await text(page, '#time');
    // One more step at the fixed point changes nothing and is not counted.
    await page.click('#step');
    await page.waitForFunction(() => /^Nothing changed/.test(document.getElementById('status').textContent));
    assert.equal(await text(page, '#time'), timeAfterSteps, 'a step that changes nothing is not counted');
    await page.click('#reset');
    await page.click('#play');
    await played(page);
    const afterPlay = await text(page, '#status');
    assert.equal(afterPlay, afterSteps.replace(/^Nothing changed: the state is a fixed point\. /, ''), stepped.join(' | '));
    assert.equal(await text(page, '#time'), timeAfterSteps);

    // A stochastic run: it samples until its budget of 6 sweeps is spent.
    await page.click('#reset');
    await page.$eval('#temperature', (el) => { el.value = '0.4'; el.dispatchEvent(new Event('input')); });
    assert.match(await text(page, '#explain'), /never settles/);
    await page.fill('#budget', '6');
    await page.click('#play');
    const o = await played(page);
    assert.equal(o, 'done');
    const s = await text(page, '#status');
    assert.match(s, /^Budget spent: 6 steps?|^Budget spent: 6 sweeps/);
    assert.match(s, /1 \(checkerboard\) ⟨m⟩ = [+−]\d\.\d\d/);
    assert.match(await text(page, '#legend'), /⟨m⟩ = /);
    assert.doesNotMatch(await page.getAttribute('#outcome', 'class'), /unconverged/);
    // Without a budget it goes on until stopped.
    await page.fill('#budget', '');
    await page.locator('#budget').dispatchEvent('change');
    await page.click('#reset');
    await page.click('#play');
    await page.waitForFunction(() => /t = ([3-9]|\d\d)/.test(document.getElementById('outcome').textContent), null, { timeout: 20000 });
    await page.click('#play');
    assert.equal(await text(page, '#outcome'), 'stopped');
    assert.match(await text(page, '#status'), /^Stopped at t = \d+, T = 0\.4\. Mean overlaps over the run/);

    // Past capacity: 30 random patterns in 100 neurons (α = 0.3) end spurious, and say why.
    await page.goto(server.url);
    await page.waitForSelector('#grid[data-state]');
    await page.selectOption('#kind', 'random');
    for (let k = 1; k <= 30; k++) {
      await page.click('#generate');
      await page.waitForFunction(() => /^Generated random/.test(document.getElementById('status').textContent));
      await page.click('#store');
      await page.waitForFunction((k) => document.querySelectorAll('#thumbs .thumb').length === k, k);
    }
    assert.match(await text(page, '#capacity'), /α = P\/N = 30\/100 = 0\.300 — past capacity · Hebb's capacity α_c ≈ 0\.138/);
    await page.click('#thumbs li:first-child .thumb');
    await page.selectOption('#dynamics', 'sweep');
    await fastest(page);
    await page.click('#play');
    const past = await played(page);
    assert.ok(['spurious', 'mixture'].includes(past), past);
    assert.match(await text(page, '#status'), /The load α = 0\.300 is past Hebb's rule's capacity \(α ≈ 0\.138\)/);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the link restores the setup and the same result', { timeout: 60000 }, async () => {
  const { context, page, problems } = await open();
  try {
    await preset(page, 'two-patterns');
    await page.selectOption('#rule', 'storkey');
    await page.locator('#rule').dispatchEvent('change');
    await page.selectOption('#dynamics', 'sweep');
    await page.$eval('#temperature', (el) => { el.value = '0'; el.dispatchEvent(new Event('input')); });
    await page.click('#thumbs li:first-child .thumb');
    await page.click('#flip');
    await page.waitForFunction(() => /^Flipped 20 of 100/.test(document.getElementById('status').textContent));
    const cue = await gridState(page);
    const url = page.url();
    assert.match(url, /#g=10x10&p=/);
    await page.click('#play');
    const first = [await played(page), await text(page, '#status'), await gridState(page)];

    const again = await context.newPage();
    await again.goto(url);
    await again.waitForFunction(() => /^Setup restored from the link/.test(document.getElementById('status').textContent));
    assert.equal(await gridState(again), cue, 'the cue comes back');
    assert.equal(await again.$eval('#rule', (e) => e.value), 'storkey');
    assert.equal(await again.$eval('#dynamics', (e) => e.value), 'sweep');
    assert.equal(await again.$eval('#normalization', (e) => e.value), 'none');
    assert.deepEqual(
      await again.$$eval('#thumbs .thumb', (ts) => ts.map((t) => t.textContent)),
      await page.$$eval('#thumbs .thumb', (ts) => ts.map((t) => t.textContent)),
    );
    await fastest(again);
    await again.click('#play');
    const second = [await played(again), await text(again, '#status'), await gridState(again)];
    assert.deepEqual(second, first, 'the same run');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('exported files are read by the command line, and load back into the page', { timeout: 60000 }, async () => {
  const { context, page, problems } = await open();
  const dir = mkdtempSync(path.join(tmpdir(), 'hopfield-files-'));
  try {
    await preset(page, 'letters');
    const save = async (button, name) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
      const file = path.join(dir, name);
      await d.saveAs(file);
      return file;
    };
    const patterns = await save('#export-patterns-npy', 'patterns.npy');
    const cueNpy = await save('#export-state-npy', 'cue.npy');
    const cuePng = await save('#export-state-png', 'cue.png');
    await page.click('#play');
    const outcome = await played(page);
    const final = await gridState(page);
    // The command line's recall of the page's files: the page's outcome and final state.
    for (const cue of [cueNpy, cuePng]) {
      const out = execFileSync(bin, ['recall', '--patterns', patterns, '--cue', cue, '--normalization', 'none',
        '--tie', 'plus', '--dynamics', 'sync', '--max-steps', '10', '--json', '-o', path.join(dir, 'final.npy')]).toString();
      const r = JSON.parse(out);
      const first = Array.isArray(r) ? r[0] : (r.results ? r.results[0] : r);
      assert.equal(first.outcome, outcome, `${path.basename(cue)}: ${out}`);
    }
    // Any stored pattern with noise, as the README's commands do.
    const cli = execFileSync(bin, ['recall', '--patterns', patterns, '--from', '2', '--noise', '0.0']).toString();
    assert.match(cli, /recalled pattern 2/);
    // The final state written by the command line loads into the grid: the page's final state.
    await page.setInputFiles('#import-state', path.join(dir, 'final.npy'));
    await page.waitForFunction(() => /^Loaded the grid from final\.npy/.test(document.getElementById('status').textContent));
    assert.equal(await gridState(page), final);
    // The patterns load back as patterns.
    const before = await page.$$eval('#thumbs .thumb', (ts) => ts.map((t) => t.dataset.pattern));
    await page.click('#clear-memory');
    await page.setInputFiles('#import-patterns', patterns);
    await page.waitForFunction(() => document.querySelectorAll('#thumbs .thumb').length === 3);
    assert.deepEqual(await page.$$eval('#thumbs .thumb', (ts) => ts.map((t) => t.dataset.pattern)), before);
    // A PNG written by the command line loads as a pattern.
    const bu = path.join(dir, 'bu.png');
    execFileSync(bin, ['patterns', 'page-bu', '-o', bu]);
    await page.setInputFiles('#import-patterns', bu);
    await page.waitForFunction(() => /^Loaded 1 pattern of 100 × 100 from bu\.png/.test(document.getElementById('status').textContent));
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

const VIEWPORTS = [
  { name: '1024x768', viewport: { width: 1024, height: 768 } },
  { name: '1280x800', viewport: { width: 1280, height: 800 } },
  { name: '1440x900', viewport: { width: 1440, height: 900 }, docs: 'serve.png' },
  { name: '390x844', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, docs: 'serve-phone.png' },
];

test('at four window sizes the grid, Play and the plots are in view, with nothing too wide', { timeout: 120000 }, async () => {
  for (const v of VIEWPORTS) {
    const options = { viewport: v.viewport };
    if (v.isMobile) Object.assign(options, { isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const { context, page, problems } = await open(options);
    try {
      await preset(page, 'two-patterns');
      await page.click('#play');
      assert.equal(await played(page), 'recalled', v.name);
      for (const sel of ['#grid', '#play', '#step', '#energy-plot', '#overlap-plot', '#outcome']) {
        const b = await page.locator(sel).boundingBox();
        assert.ok(b, `${v.name}: ${sel} is shown`);
        assert.ok(b.y >= 0 && b.y + b.height <= v.viewport.height && b.x >= 0 && b.x + b.width <= v.viewport.width,
          `${v.name}: ${sel} at ${JSON.stringify(b)} lies within the window`);
      }
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth, window.scrollY]);
      assert.ok(widths[0] <= widths[1], `${v.name}: the page is ${widths[0]} px wide in a ${widths[1]} px window`);
      assert.equal(widths[2], 0, 'no scrolling was needed');
      if (v.hasTouch) {
        // Every visible control is a touch target of at least 44 px.
        const small = await page.$$eval('button, select, input:not([type=file]), .file, a', (els) => els
          .filter((e) => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden' && !e.closest('.sr-only'))
          .map((e) => [e.id || e.className || e.textContent.trim(), e.getBoundingClientRect()])
          .filter(([, r]) => r.height < 44 || r.width < 44)
          .map(([name, r]) => `${name} ${Math.round(r.width)}×${Math.round(r.height)}`));
        assert.deepEqual(small, [], 'touch targets under 44 px');
      }
      const shot = path.join(outDir, `serve-${v.name}.png`);
      await page.screenshot({ path: shot });
      if (v.docs && docsDir) copyFileSync(shot, path.join(docsDir, v.docs));
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  }
});

test('every control is named, and the live region speaks', { timeout: 60000 }, async () => {
  const { context, page, problems } = await open();
  try {
    await preset(page, 'letters');
    const unnamed = await page.$$eval('input, select, textarea, button, canvas[tabindex]', (els) => els
      .filter((e) => {
        const labelled = e.labels && [...e.labels].some((l) => l.textContent.trim());
        const aria = (e.getAttribute('aria-label') || '').trim() ||
          (e.getAttribute('aria-labelledby') || '').split(' ').map((id) => document.getElementById(id))
            .filter(Boolean).map((l) => l.textContent.trim()).join('');
        const own = e.tagName === 'BUTTON' && e.textContent.trim();
        return !(labelled || aria || own);
      })
      .map((e) => e.id || e.outerHTML.slice(0, 80)));
    assert.deepEqual(unnamed, [], 'controls without an accessible name');
    // The sliders are found by their names, as assistive tools announce them.
    for (const [name, id] of [['Flip', 'noise'], ['Temperature', 'temperature'], ['Speed', 'speed'], ['Model', 'model'], ['Rule', 'rule']]) {
      assert.equal(await page.getByLabel(name, { exact: true }).getAttribute('id'), id, name);
    }
    // The grid and the plots describe themselves.
    assert.match(await page.getAttribute('#grid', 'aria-label'), /^Neuron grid, 5 × 5: \d+ of 25 neurons on/);
    const live = page.locator('[role=status][aria-live=polite]');
    assert.equal(await live.count(), 1);
    const before = await live.textContent();
    await page.selectOption('#dynamics', 'sync');
    await page.click('#step');
    await page.waitForFunction((b) => document.getElementById('status').textContent !== b &&
      /t = 1|after 1 step/.test(document.getElementById('status').textContent), before);
    const said = await live.textContent();
    assert.match(said, /Overlaps: 1 \(checkerboard\) [+−]\d\.\d\d, 2 \(X\) [+−]\d\.\d\d, 3 \(A\) [+−]\d\.\d\d/);
    assert.match(await page.getAttribute('#energy-plot', 'aria-label'), /^Energy over time: −\d+(\.\d+)? at t = 1, from −\d+(\.\d+)?\./);
    assert.match(await page.getAttribute('#overlap-plot', 'aria-label'), /^Overlaps at t = 1: Overlaps: 1 \(checkerboard\)/);
    await page.click('#play');
    const outcome = await played(page);
    assert.match(await live.textContent(), new RegExp(`^(Recalled|Settled|Entered|Nothing)`), outcome);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
