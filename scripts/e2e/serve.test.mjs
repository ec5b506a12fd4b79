// End-to-end test of `hopfield serve` in headless Chromium: a person draws a letter with
// the mouse, stores it (and two more patterns), corrupts it, plays the dynamics, and sees the
// letter come back with the outcome "recalled". Run by scripts/e2e/run.sh, which builds the
// binary and installs Chromium (Debian's) and playwright-core.
//
// Environment: HOPFIELD_BIN (the binary, default target/release/hopfield), CHROMIUM
// (default /usr/bin/chromium), E2E_OUT (directory for the screenshot, default target/e2e),
// E2E_DOCS_SHOT (a second copy of the screenshot, e.g. docs/serve.png; unset = none).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.HOPFIELD_BIN || path.join(root, 'target', 'release', 'hopfield');
const outDir = process.env.E2E_OUT || path.join(root, 'target', 'e2e');
const docsShot = process.env.E2E_DOCS_SHOT || '';

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

// The letter H on a 10 × 10 grid, drawn in three strokes: (row, col) from → to.
const STROKES = [[[1, 2], [8, 2]], [[1, 7], [8, 7]], [[4, 3], [4, 6]]];
const H = (() => {
  const g = Array.from({ length: 10 }, () => Array(10).fill('.'));
  for (const [[r0, c0], [r1, c1]] of STROKES) {
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) g[r][c] = '#';
  }
  return g.map((row) => row.join('')).join('/');
})();

test('draw, store, corrupt and recall a letter in the explorer', { timeout: 120000 }, async () => {
  const { child, url } = await startServer();
  const profile = mkdtempSync(path.join(tmpdir(), 'hopfield-e2e-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 880 },
      deviceScaleFactor: 1,
    });
    const page = context.pages()[0] || (await context.newPage());
    const problems = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    // Offline: every request goes to the binary itself.
    page.on('request', (r) => {
      if (!r.url().startsWith(url) && !r.url().startsWith('data:')) problems.push(`outside request: ${r.url()}`);
    });

    await page.goto(url);
    await page.waitForSelector('#grid[data-state]');
    const gridState = () => page.$eval('#grid', (g) => g.dataset.state);
    const status = () => page.textContent('#status');
    assert.equal(await gridState(), Array(10).fill('..........').join('/'), 'the grid starts empty');

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
    assert.equal(await gridState(), H, 'the drawn letter is on the grid');

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
    assert.match(await page.textContent('#load'), /P = 3/);
    await page.waitForFunction(() => /100 × 100/.test(document.getElementById('weights-info').textContent));

    // Load the letter, flip 20 % of its neurons.
    await page.click('#thumbs li:first-child .thumb');
    assert.equal(await gridState(), H);
    await page.click('#flip');
    await page.waitForFunction(() => /^Flipped 20 of 100/.test(document.getElementById('status').textContent));
    const cue = await gridState();
    const differences = [...cue].filter((ch, i) => ch !== H[i]).length;
    assert.equal(differences, 20, 'the cue differs from the letter in 20 cells');

    // Play the asynchronous dynamics (one random neuron at a time) until the run settles.
    await page.selectOption('#dynamics', 'async');
    await page.click('#play');
    await page.waitForFunction(() => {
      const o = document.getElementById('outcome').textContent;
      return o !== 'running' && o !== 'ready';
    }, null, { timeout: 30000 });
    assert.equal(await page.textContent('#outcome'), 'recalled', await status());
    assert.equal(await gridState(), H, 'the grid shows the stored letter again');
    assert.match(await status(), /^Recalled pattern 1 \(drawn\) after/);
    assert.match(await page.getAttribute('#thumbs li:first-child .thumb', 'class'), /hit/);
    assert.deepEqual(problems, []);

    mkdirSync(outDir, { recursive: true });
    const shot = path.join(outDir, 'serve.png');
    await page.screenshot({ path: shot });
    if (docsShot) copyFileSync(shot, docsShot);
    console.log(`screenshot: ${shot}${docsShot ? ` and ${docsShot}` : ''}`);
  } finally {
    if (context) await context.close();
    child.kill();
    rmSync(profile, { recursive: true, force: true });
  }
});
