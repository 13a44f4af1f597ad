/**
 * A reference for the eager rows: an engine of `@ag`'s design (node objects
 * that hold their numbers) stripped of everything but the arithmetic. One node
 * class, no argument checks, no flags, no grad mode, no labels, no errors;
 * backward replays a tape of the nodes in the order they were made (no
 * topological sort). It answers, in the same run as the floor: how much of the
 * eager engine's time is the design, and how much the engine? It is not a
 * general engine: `backward` runs the rule of every node made since the last
 * `backward`, so it is correct only when every such node lies below the root,
 * as in the workloads. (It also hands gradients to constant leaves, which
 * `@ag` skips: a little more work than it needs.)
 *
 * The node's fields are first written in its constructor, and only numbers go
 * into `data` and `grad`, so V8 keeps each in a mutable box that `+=` writes
 * in place. Against the same engine with `@ag/core`'s layout (fields declared,
 * so every new number is boxed anew), a scratch comparison measured it faster
 * on W2 (30 against 47 times the floor) and W1(b) (8.4 against 10.3), whose
 * backward is mostly `+=`, and the same on W1(a) (63 against 61).
 */

/** The note of every row that runs on this engine. */
export const MINIMAL_ENGINE_NOTE =
  "a reference, not @ag: the same graph on a stripped-down engine of @ag's design (minimal-engine.ts: one node class, no checks, backward over a tape of the nodes made)";

const LEAF = 0;
const ADD = 1;
const SUB = 2;
const MUL = 3;
const DIV = 4;
const RELU = 5;
const SQUARE = 6;
/** a: the weights then the bias; b: the inputs. */
const DOT = 7;
/** a: the terms. */
const SUM = 8;

type Operand = MinimalNode | readonly MinimalNode[] | null;

let tape: MinimalNode[] = [];

export class MinimalNode {
  declare data: number;
  declare grad: number;
  declare op: number;
  declare a: Operand;
  declare b: Operand;

  constructor(data: number, op = LEAF, a: Operand = null, b: Operand = null) {
    this.data = data;
    this.grad = 0;
    this.op = op;
    this.a = a;
    this.b = b;
    if (op !== LEAF) tape.push(this);
  }

  add(other: MinimalNode | number): MinimalNode {
    const o = node(other);
    return new MinimalNode(this.data + o.data, ADD, this, o);
  }

  sub(other: MinimalNode | number): MinimalNode {
    const o = node(other);
    return new MinimalNode(this.data - o.data, SUB, this, o);
  }

  mul(other: MinimalNode | number): MinimalNode {
    const o = node(other);
    return new MinimalNode(this.data * o.data, MUL, this, o);
  }

  div(other: MinimalNode | number): MinimalNode {
    const o = node(other);
    return new MinimalNode(this.data / o.data, DIV, this, o);
  }

  relu(): MinimalNode {
    return new MinimalNode(this.data > 0 ? this.data : 0, RELU, this);
  }

  square(): MinimalNode {
    return new MinimalNode(this.data * this.data, SQUARE, this);
  }

  /** Every node made since the last backward, from the last made, as `@ag/core`'s rules do. */
  backward(): void {
    this.grad = 1;
    const nodes = tape;
    tape = [];
    for (let i = nodes.length - 1; i >= 0; i--) backwardRule(nodes[i] as MinimalNode);
  }
}

function node(x: MinimalNode | number): MinimalNode {
  return typeof x === 'number' ? new MinimalNode(x) : x;
}

function backwardRule(n: MinimalNode): void {
  const g = n.grad;
  switch (n.op) {
    case ADD:
      (n.a as MinimalNode).grad += g;
      (n.b as MinimalNode).grad += g;
      break;
    case SUB:
      (n.a as MinimalNode).grad += g;
      (n.b as MinimalNode).grad -= g;
      break;
    case MUL: {
      const a = n.a as MinimalNode;
      const b = n.b as MinimalNode;
      a.grad += b.data * g;
      b.grad += a.data * g;
      break;
    }
    case DIV: {
      const b = n.b as MinimalNode;
      (n.a as MinimalNode).grad += g / b.data;
      b.grad -= (n.data / b.data) * g;
      break;
    }
    case RELU:
      if (n.data > 0) (n.a as MinimalNode).grad += g;
      break;
    case SQUARE: {
      const a = n.a as MinimalNode;
      a.grad += 2 * a.data * g;
      break;
    }
    case DOT: {
      const ws = n.a as readonly MinimalNode[];
      const xs = n.b as readonly MinimalNode[];
      const m = xs.length;
      for (let j = 0; j < m; j++) {
        const w = ws[j] as MinimalNode;
        const x = xs[j] as MinimalNode;
        w.grad += x.data * g;
        x.grad += w.data * g;
      }
      if (ws.length > m) (ws[m] as MinimalNode).grad += g;
      break;
    }
    case SUM: {
      const terms = n.a as readonly MinimalNode[];
      for (let j = 0; j < terms.length; j++) (terms[j] as MinimalNode).grad += g;
      break;
    }
  }
}

/** Σ wᵢxᵢ + bias, summed in that order (as `@ag/core`'s `dot`); `ws` holds the weights then the bias. */
export function minimalDot(ws: readonly MinimalNode[], xs: readonly MinimalNode[]): MinimalNode {
  const m = xs.length;
  let s = 0;
  for (let j = 0; j < m; j++) s += (ws[j] as MinimalNode).data * (xs[j] as MinimalNode).data;
  if (ws.length > m) s += (ws[m] as MinimalNode).data;
  return new MinimalNode(s, DOT, ws, xs);
}

/** ((t₀ + t₁) + …), one node. */
export function minimalSum(terms: readonly MinimalNode[]): MinimalNode {
  let s = 0;
  for (let j = 0; j < terms.length; j++) s += (terms[j] as MinimalNode).data;
  return new MinimalNode(s, SUM, terms);
}

/**
 * The least a node can be: its number, its op and its operands, a constant
 * operand kept as a number rather than made a leaf; no gradient. W2's bound
 * makes its step graphs of these.
 */
export class BareNode {
  data: number;
  op: number;
  a: BareNode | null;
  b: BareNode | number | null;

  constructor(
    data: number,
    op = LEAF,
    a: BareNode | null = null,
    b: BareNode | number | null = null,
  ) {
    this.data = data;
    this.op = op;
    this.a = a;
    this.b = b;
  }
}

/**
 * A node whose number lives in a shared Float64Array, at `slot`, so that
 * making it allocates one object and no number: the layout of a typed-array
 * engine (one whose memory a real engine would still have to reclaim).
 */
export class SlotNode {
  slot: number;
  op: number;
  a: SlotNode | null;
  b: SlotNode | number | null;

  constructor(
    slot: number,
    op = LEAF,
    a: SlotNode | null = null,
    b: SlotNode | number | null = null,
  ) {
    this.slot = slot;
    this.op = op;
    this.a = a;
    this.b = b;
  }
}

/** The ops of BareNode and SlotNode graphs. */
export const BARE_OPS = { ADD, SUB, MUL, SQUARE } as const;

/**
 * Where a bound keeps the root of its last step graph: a graph that escapes,
 * as one handed to a user does, so the optimizing compiler cannot leave its
 * nodes unmade.
 */
export const escaped: { root: unknown } = { root: null };
