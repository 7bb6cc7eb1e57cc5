// Trains the Sentiment module's learned part and writes ao-processes/sentiment/model.json,
// which scripts/build-modules.mjs turns into the module's weight table.
//
//   node scripts/train-sentiment.mjs           train and write model.json
//   node scripts/train-sentiment.mjs --check   train and fail unless model.json is reproduced byte for byte
//
//   node scripts/train-sentiment.mjs --hold-out amazon|yelp|imdb
//                                             the same recipe without that public set, scored on it (writes nothing)
//
// Training data (see test/fixtures/eval/public/README.md and scripts/train-sentiment/data/README.md):
// the UCI "Sentiment Labelled Sentences" Amazon and Yelp sets (Kotzias et al., 2015, CC BY 4.0)
// and chat lines written for this project (MIT). The IMDB set of the same collection and the
// project's own eval set are never trained on: they are the held-out sets `permachat eval` reports.
//
// The features come from the module's own code (ao-processes/sentiment/features.ts) compiled to
// WASM, so training and the module agree by construction. Everything is deterministic: a fixed
// example order from a seeded shuffle, plain float arithmetic, fixed rounding.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';
import { heldOutLines, withoutHeldOut } from './train-sentiment/held-out.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MODEL_FILE = path.join(root, 'ao-processes', 'sentiment', 'model.json');
const PUBLIC_SETS = {
  amazon: 'test/fixtures/eval/public/amazon.tsv',
  yelp: 'test/fixtures/eval/public/yelp.tsv',
  imdb: 'test/fixtures/eval/public/imdb.tsv',
};
// Few lines, but the only chat and the only neutral ones: each counts three times.
const CHAT = { file: 'scripts/train-sentiment/data/chat.tsv', copies: 3 };
const NEUTRAL_COPIES = 8;
const HASH_BITS = 16;
const EPOCHS = 30;
const L2 = 1e-3;
const RATE = 0.1;
const FOLDS = 5;

async function featureExtractor() {
  execFileSync('node', [path.join(root, 'scripts', 'build-modules.mjs'), '--gen-only'], { cwd: root, stdio: 'inherit' });
  const outDir = path.join(root, 'build', 'train');
  await mkdir(outDir, { recursive: true });
  const stderr = [];
  const entry = path.join(root, 'scripts', 'train-sentiment', 'features-entry.ts');
  const { error } = await asc.main([entry, '--outFile', path.join(outDir, 'features.wasm'), '--bindings', 'raw', '--runtime', 'stub', '-O2'], {
    stderr: { write: (chunk) => stderr.push(String(chunk)) },
    stdout: { write: () => undefined },
  });
  if (error) throw new Error(`asc failed for the feature entry: ${error.message}\n${stderr.join('')}`);
  const { instantiate } = await import(path.join(outDir, 'features.js'));
  const module = await WebAssembly.compile(await readFile(path.join(outDir, 'features.wasm')));
  const { featureLine } = await instantiate(module, {});
  const mask = 2 ** HASH_BITS - 1;
  return (text) => {
    const [rule, ...hashes] = featureLine(text).split(' ');
    return { rule: Number(rule), ids: hashes.map((h) => Number(h) & mask) };
  };
}

/** label<TAB>text lines; labels positive, negative or neutral. */
async function readTsv(file) {
  const rows = [];
  for (const [index, line] of (await readFile(path.join(root, file), 'utf8')).split('\n').entries()) {
    if (line.trim() === '') continue;
    const tab = line.indexOf('\t');
    const label = line.slice(0, tab);
    if (!['positive', 'negative', 'neutral'].includes(label)) throw new Error(`${file}:${index + 1}: label "${label}" is not positive, negative or neutral`);
    rows.push({ label, text: line.slice(tab + 1), source: file, line: index });
  }
  return rows;
}

/** mulberry32: a small seeded generator, so the shuffle is the same on every machine. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffled(rows, seed) {
  const out = rows.slice();
  const random = seeded(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Logistic regression by AdaGrad over the hashed features plus one dense input. `target` gives
 * 0..1 for a row (a neutral line is 0.5 for polarity: no side), `copies` how often it counts.
 */
function train(rows, { target, dense, copies = () => 1 }) {
  const size = 2 ** HASH_BITS;
  const w = new Float64Array(size);
  const g2 = new Float64Array(size).fill(1e-8);
  const model = { w, bias: 0, rule: 0, dense };
  let gBias = 1e-8;
  let gRule = 1e-8;
  const order = rows.flatMap((row) => Array.from({ length: copies(row) }, () => row));
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (const row of shuffled(order, 1000 + epoch)) {
      const g = 1 / (1 + Math.exp(-marginOf(model, row))) - target(row);
      for (const i of row.ids) {
        const gi = g + L2 * w[i];
        g2[i] += gi * gi;
        w[i] -= (RATE * gi) / Math.sqrt(g2[i]);
      }
      gBias += g * g;
      model.bias -= (RATE * g) / Math.sqrt(gBias);
      const gr = g * dense(row);
      gRule += gr * gr;
      model.rule -= (RATE * gr) / Math.sqrt(gRule);
    }
  }
  return model;
}

function marginOf(model, row) {
  let m = model.bias + model.rule * model.dense(row);
  for (const i of row.ids) m += model.w[i];
  return m;
}

/**
 * Two models over the same features. Polarity: positive (1) against negative (0), the rule
 * compound as its dense input. Feeling: whether there is any (polar lines 1, neutral 0), the
 * rule compound's size as its dense input; neutral lines are few, so each counts NEUTRAL_COPIES times.
 */
function trainBoth(rows) {
  return {
    polarity: train(rows, { target: (r) => (r.label === 'positive' ? 1 : r.label === 'negative' ? 0 : 0.5), dense: (r) => r.rule, copies: (r) => r.copies }),
    feeling: train(rows, { target: (r) => (r.label === 'neutral' ? 0 : 1), dense: (r) => Math.abs(r.rule), copies: (r) => r.copies * (r.label === 'neutral' ? NEUTRAL_COPIES : 1) }),
  };
}

/** As ao-processes/sentiment/model.ts decides. */
function labelOf(p, f, rule, quiet) {
  if (Math.abs(rule) < 0.05 && f <= quiet) return 'neutral';
  return p >= 0 ? 'positive' : 'negative';
}

function macroF1(gold, predicted, labels) {
  let sum = 0;
  for (const label of labels) {
    let tp = 0, fp = 0, fn = 0;
    gold.forEach((g, i) => {
      if (predicted[i] === label && g === label) tp++;
      else if (predicted[i] === label) fp++;
      else if (g === label) fn++;
    });
    sum += tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  }
  return sum / labels.length;
}

/** Out-of-fold [polarity, feeling] margins: what the models say of lines they have not seen. */
function crossValidated(rows) {
  const margins = new Map();
  // Folds by line number: fixed, and spread over every file.
  for (let fold = 0; fold < FOLDS; fold++) {
    const models = trainBoth(rows.filter((row) => row.line % FOLDS !== fold));
    for (const row of rows) if (row.line % FOLDS === fold) margins.set(row, [marginOf(models.polarity, row), marginOf(models.feeling, row)]);
  }
  return margins;
}

function setScore(rows, margins, quiet) {
  const labels = rows.some((r) => r.label === 'neutral') ? ['positive', 'negative', 'neutral'] : ['positive', 'negative'];
  return macroF1(rows.map((r) => r.label), rows.map((r) => labelOf(...margins.get(r), r.rule, quiet)), labels);
}

/**
 * The feeling threshold for lines without a lexicon word. Chat needs it high (most such lines
 * are facts and questions), reviews low (every line has a side): it maximises the mean of the
 * out-of-fold macro-F1 over the chat lines and over the review lines.
 */
function chooseQuiet(sets, margins) {
  let best = { quiet: 0, score: -1, perSet: [] };
  for (let step = -8; step <= 16; step++) {
    const quiet = step / 4;
    const perSet = sets.map((rows) => setScore(rows, margins, quiet));
    const score = perSet.reduce((a, b) => a + b, 0) / perSet.length;
    if (score > best.score + 1e-9) best = { quiet, score, perSet };
  }
  return best;
}

/** int8 weights with one scale: a 64 KiB table in the module. */
function quantised(model) {
  let largest = 0;
  for (const v of model.w) largest = Math.max(largest, Math.abs(v));
  const scale = largest / 127;
  const weights = [];
  model.w.forEach((v, index) => {
    const q = Math.round(v / scale);
    if (q !== 0) weights.push([index, q]);
  });
  const round = (v) => Number(v.toPrecision(8));
  return { bias: round(model.bias), dense: round(model.rule), scale: round(scale), weights };
}

function serialise(models, quiet, trainedOn) {
  const part = (model) => {
    const { weights, ...head } = quantised(model);
    return `${JSON.stringify(head).slice(0, -1)},\n    "weights": [${weights.map((pair) => JSON.stringify(pair)).join(',')}]\n  }`;
  };
  const head = { format: 2, trainedOn, hashBits: HASH_BITS, quiet };
  return `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "polarity": ${part(models.polarity)},\n  "feeling": ${part(models.feeling)}\n}\n`;
}

/** `heldOut`: lines to leave out (a training set's line that is also a held-out one). */
async function loadRows(features, files, heldOut = new Set()) {
  const sets = [];
  for (const { file, copies } of files) {
    const all = await readTsv(file);
    const rows = withoutHeldOut(all, heldOut).map((row) => ({ ...row, ...features(row.text), copies }));
    sets.push({ file, rows });
    const dropped = all.length - rows.length;
    console.log(`${file}: ${rows.length} lines${copies > 1 ? ` (each counts ${copies} times)` : ''}${dropped > 0 ? `, ${dropped} left out as held-out lines` : ''}`);
  }
  return sets;
}

/** Both models and the feeling threshold, chosen out of fold, from the training sets. */
function fit(sets) {
  const rows = sets.flatMap((set) => set.rows);
  const margins = crossValidated(rows);
  const reviews = sets.filter((set) => set.file !== CHAT.file).flatMap((set) => set.rows);
  const chat = sets.find((set) => set.file === CHAT.file)?.rows ?? [];
  const { quiet, perSet } = chooseQuiet([chat, reviews], margins);
  console.log(`feeling threshold ${quiet}: out-of-fold macro-F1 ${perSet[0].toFixed(3)} on chat lines (3 classes), ${perSet[1].toFixed(3)} on review lines (2 classes)`);
  return { models: trainBoth(rows), quiet };
}

/** `--hold-out <set>`: the same recipe without that public set, scored on it; writes nothing. */
async function crossCheck(features, name, reviewSets) {
  const leaveOut = await heldOutLines(root, [PUBLIC_SETS[name], 'test/fixtures/eval/sentiment.jsonl']);
  const { models, quiet } = fit(await loadRows(features, [...reviewSets, CHAT], leaveOut));
  const [heldOut] = await loadRows(features, [{ file: PUBLIC_SETS[name], copies: 1 }]);
  const margins = new Map(heldOut.rows.map((r) => [r, [marginOf(models.polarity, r), marginOf(models.feeling, r)]]));
  const gold = heldOut.rows.map((r) => r.label);
  const sign = macroF1(gold, heldOut.rows.map((r) => (margins.get(r)[0] >= 0 ? 'positive' : 'negative')), ['positive', 'negative']);
  console.log(`held out ${name} (weights before rounding): strict macro-F1 ${setScore(heldOut.rows, margins, quiet).toFixed(3)}, sign ${sign.toFixed(3)}`);
}

async function main() {
  const args = process.argv.slice(2);
  const holdOutAt = args.indexOf('--hold-out');
  const holdOut = holdOutAt >= 0 ? args[holdOutAt + 1] : 'imdb';
  if (!(holdOut in PUBLIC_SETS)) throw new Error(`--hold-out takes one of ${Object.keys(PUBLIC_SETS).join(', ')}`);
  const reviewSets = Object.entries(PUBLIC_SETS).filter(([name]) => name !== holdOut).map(([, file]) => ({ file, copies: 1 }));
  const features = await featureExtractor();
  if (holdOutAt >= 0) return crossCheck(features, holdOut, reviewSets);

  const { models, quiet } = fit(await loadRows(features, [...reviewSets, CHAT], await heldOutLines(root)));
  const trainedOn = 'UCI Sentiment Labelled Sentences: Amazon, Yelp (CC BY 4.0); chat lines written for permachat (MIT)';
  const text = serialise(models, quiet, trainedOn);
  if (args.includes('--check')) {
    const current = await readFile(MODEL_FILE, 'utf8').catch(() => '');
    if (current !== text) throw new Error(`${path.relative(root, MODEL_FILE)} is not what training produces: run node scripts/train-sentiment.mjs and commit it`);
    console.log('model.json reproduced byte for byte');
    return;
  }
  await writeFile(MODEL_FILE, text);
  console.log(`wrote ${path.relative(root, MODEL_FILE)} (${text.length} bytes)`);
}

await main();
