/**
 * W4, memory: bytes per node of an eager graph, the heap growth (with full
 * collections before and after) divided by the number of nodes built.
 */
import { Value } from '@ag/core';
import { MLP } from '@ag/nn';
import { countNodes } from './graph-size.js';
import { canCollect, retainedBytes, retainedPerCopy } from './heap.js';
import { MicrogradMlp } from './micrograd-mlp.js';
import { formatBytes, type ResultRow } from './result-row.js';
import { idiomaticLoss, microgradLoss, W1_SIZES, w1Setup } from './w1-micrograd-demo.js';

export const BYTES_PER_NODE_TARGET = 80;

interface Measured {
  name: string;
  bytes: number;
  nodes: number;
  note?: string;
}

function row(m: Measured): ResultRow {
  const perNode = m.bytes / m.nodes;
  const r: ResultRow = {
    workload: 'W4',
    variant: m.name,
    medianSeconds: null,
    floorMedianSeconds: null,
    ratio: null,
    runs: [],
    floorRuns: [],
    target: `B/node ≤ ${BYTES_PER_NODE_TARGET}`,
    targetMet: canCollect ? perNode <= BYTES_PER_NODE_TARGET : null,
    memory: `${perNode.toFixed(1)} B/node (${m.nodes} nodes, ${formatBytes(m.bytes)})`,
    memoryFigures: { bytes: m.bytes, nodes: m.nodes, bytesPerNode: perNode },
    loss: null,
    floorLoss: null,
    guard: 'n/a',
  };
  if (m.note !== undefined) r.note = m.note;
  return r;
}

/** A chain of `n` binary nodes over leaf `Value`s: one node per op. */
function valueChain(n: number): Measured {
  const a = new Value(0.999999);
  const b = new Value(1e-6);
  const { bytes } = retainedBytes(() => {
    let v = new Value(1);
    for (let i = 0; i < n; i++) v = i % 2 === 0 ? v.mul(a) : v.add(b);
    return v;
  });
  return { name: `chain of mul/add on Values`, bytes, nodes: n };
}

/** A chain of `n` ops with plain-number operands: each op also makes a constant leaf. */
function numberChain(n: number): Measured {
  const { bytes } = retainedBytes(() => {
    let v = new Value(1);
    for (let i = 0; i < n; i++) v = i % 2 === 0 ? v.mul(0.999999) : v.add(1e-6);
    return v;
  });
  return {
    name: 'chain of mul/add on numbers',
    bytes,
    nodes: 2 * n,
    note: 'nodes counts the constant leaves',
  };
}

/**
 * One full-batch loss graph of W1, beside the parameters that outlive it:
 * two (W1(a), 5 MB each) or eight (W1(b)) held at once (see retainedPerCopy).
 */
function w1Graph(kind: 'micrograd' | 'nn'): Measured {
  const setup = w1Setup(1);
  if (kind === 'micrograd') {
    const model = new MicrogradMlp(W1_SIZES, setup.initial);
    const { bytes, result } = retainedPerCopy(() => microgradLoss(model, setup.data), 2);
    return {
      name: 'W1(a) step graph (add/mul)',
      bytes,
      nodes: countNodes(result, new Set(model.parameters())),
    };
  }
  const model = new MLP(W1_SIZES[0], W1_SIZES.slice(1));
  const { bytes, result } = retainedPerCopy(() => idiomaticLoss(model, setup.data), 8);
  return {
    name: 'W1(b) step graph (dot)',
    bytes,
    nodes: countNodes(result, new Set(model.parameters())),
    note: "dot nodes keep their neuron's parameter list and one input array per layer (affine); 8 graphs held at once",
  };
}

/**
 * The rows of W4.
 *
 * @example
 * const rows = runW4({ nodes: 1_000_000 });
 */
export function runW4(options: { nodes: number }): ResultRow[] {
  return [
    valueChain(options.nodes),
    numberChain(options.nodes / 2),
    w1Graph('micrograd'),
    w1Graph('nn'),
  ].map(row);
}
