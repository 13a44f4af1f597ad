/**
 * `descend` in WebAssembly: one sample's forward pass, backward pass and SGD
 * step as one function over a memory of doubles, written from the op table's
 * rules (rule-ir.ts) as the JavaScript replays are. Why: V8 runs generated
 * JavaScript unoptimized until its optimizing compiler has compiled it, which
 * for a tape of some hundred statements takes about as long as thousands of
 * samples in the interpreter (see WARM_UP in codegen.ts); WebAssembly is
 * compiled before its first call by a one-pass compiler (Liftoff) and runs
 * within about 1.5 times the optimized speed from the first sample.
 *
 * The same doubles as the engine, bit for bit: WebAssembly's f64 add, sub,
 * mul, div, sqrt, min, max, abs, neg, floor and ceil are IEEE 754's, as
 * JavaScript's are (a NaN's payload may differ, which no number shows), it
 * never fuses a multiply and an add, and every other op's forward rule is the
 * engine's own function, imported. The order of every sum is the eager
 * engine's, as in the generated JavaScript.
 */
import { DOT, OPS, RELU, SUM, type Op } from '../ops.js';
import { RULES, type Cond, type Expr, type Role, type Stmt } from '../rule-ir.js';
import type { Value } from '../value.js';
import { CodeCache } from './code-cache.js';
import type { GeneratedFunctions } from './codegen.js';
import type { InputLayout } from './inputs.js';
import { TapeMachine } from './interpreter.js';
import { operandUses, type Tape } from './tape.js';
import { Body, F64, name, OP, section, uleb, vector } from './wasm-writer.js';

type Descend = GeneratedFunctions['descend'];

/** Locals of the step function: its parameter lr, then these. */
const LR = 0;
/** The gradient of the node being visited. */
const GO = 1;
/** The step's output (the loss), read before the step changes anything. */
const OUT = 2;
/** A dot's pair of values, read before either is stepped. */
const PA = 3;
const PB = 4;
/** Temporaries from here, one per nesting depth of an expression. */
const TEMP_G = 5;
const TEMP = 6;

/** Beyond this many bytes of code, the tape stays with the JavaScript replays. */
const BODY_LIMIT = 1 << 22;

/** The ops that are one WebAssembly instruction with the same result as their JavaScript. */
const NATIVE_CALLS: Readonly<Record<string, number>> = {
  'Math.sqrt': OP.f64Sqrt,
  'Math.abs': OP.f64Abs,
  'Math.floor': OP.f64Floor,
  'Math.ceil': OP.f64Ceil,
  'Math.max': OP.f64Max,
  'Math.min': OP.f64Min,
};
const INFIX: Readonly<Record<string, number>> = {
  '+': OP.f64Add,
  '-': OP.f64Sub,
  '*': OP.f64Mul,
  '/': OP.f64Div,
};
const RELATION: Readonly<Record<string, number>> = {
  '>': OP.f64Gt,
  '>=': OP.f64Ge,
  '<': OP.f64Lt,
  '<=': OP.f64Le,
  '===': OP.f64Eq,
};

/** Pushes the value of a role of the rule being written. */
type Names = (role: Role) => void;

/** Writes the step function of a tape: forward, backward, and p ← p − lr·g for the trained parameters. */
class StepWriter {
  readonly body = new Body();
  /** The ops called as imported functions, in import order. */
  readonly imports: Op[] = [];
  private temps = 0;
  /** Per slot: 1 for a trained parameter that one dot alone uses (its rule there one addition), which takes its step in that dot. */
  readonly fused: Uint8Array;
  /** The dots that step parameters: their node index and those parameters' slots. */
  readonly fusedDots: { k: number; slots: number[] }[] = [];

  constructor(private readonly tape: Tape) {
    const { nInputs, params, requiresGrad, op, a, b, n, args } = tape;
    const uses = operandUses(tape);
    const rules = (RULES[DOT.code] as (typeof RULES)[number]).stmts;
    this.fused = new Uint8Array(tape.nSlots);
    const mark = (s: number, rule: readonly Stmt[] | undefined): void => {
      const single = rule?.length === 1 && rule[0]?.k === 'acc';
      if (s >= nInputs && s < nInputs + params.length && uses[s] === 1 && requiresGrad[s] === 1)
        this.fused[s] = single ? 1 : 0;
    };
    for (let k = 0; k < op.length; k++) {
      if (op[k] !== DOT.code) continue;
      const ia = a[k] as number;
      for (let j = ia; j < ia + 2 * (n[k] as number); j += 2) {
        mark(args[j] as number, rules[0]);
        mark(args[j + 1] as number, rules[1]);
      }
      if ((b[k] as number) >= 0) mark(b[k] as number, rules[2]);
    }
  }

  /** Byte offset of dot k's flag: 1 if the last step skipped it. */
  private z(k: number): number {
    return (2 * this.tape.nSlots + k) * 8;
  }

  private v(s: number): number {
    return s * 8;
  }

  private g(s: number): number {
    return (this.tape.nSlots + s) * 8;
  }

  private temp(depth: number): number {
    this.temps = Math.max(this.temps, depth + 1);
    return TEMP + depth;
  }

  private importOf(op: Op): number {
    const i = this.imports.indexOf(op);
    if (i >= 0) return i;
    this.imports.push(op);
    return this.imports.length - 1;
  }

  /** op applied to its operands, which `args` push (each given the depth below it). */
  private apply(op: Op, args: readonly ((depth: number) => void)[], depth: number): void {
    const b = this.body;
    const [x, y] = args as [(d: number) => void, (d: number) => void];
    const { js } = op;
    if (js.kind === 'infix') {
      x(depth + 1);
      y(depth + 1);
      b.op(INFIX[js.symbol] as number);
    } else if (js.kind === 'negate') {
      x(depth + 1);
      b.op(OP.f64Neg);
    } else if (js.kind === 'square') {
      x(depth + 1);
      const t = this.temp(depth);
      b.tee(t).get(t).op(OP.f64Mul);
    } else if (op === RELU) {
      // relu(a) = a <= 0 ? 0 : a (special-functions.ts): select(0, a, a <= 0).
      const t = this.temp(depth);
      b.f64(0);
      x(depth + 1);
      b.tee(t).get(t).f64(0).op(OP.f64Le).op(OP.select);
    } else if (js.kind === 'call' && NATIVE_CALLS[js.name] !== undefined) {
      for (const arg of args) arg(depth + 1);
      b.op(NATIVE_CALLS[js.name] as number);
    } else {
      for (const arg of args) arg(depth + 1);
      b.call(this.importOf(op));
    }
  }

  private expr(e: Expr, names: Names, depth: number): void {
    switch (e.k) {
      case 'num':
        this.body.f64(e.v);
        return;
      case 'ref':
        names(e.role);
        return;
      case 'app':
        this.apply(
          e.op,
          e.args.map((a) => (d: number) => this.expr(a, names, d)),
          depth,
        );
        return;
      case 'sel':
        // Both arms are pure numbers: computing both and selecting gives c ? t : f.
        this.expr(e.t, names, depth);
        this.expr(e.f, names, depth);
        this.cond(e.c, names, depth);
        this.body.op(OP.select);
        return;
    }
  }

  private cond(c: Cond, names: Names, depth: number): void {
    if (c.k === 'and') {
      this.cond(c.c, names, depth);
      this.cond(c.d, names, depth);
      this.body.op(OP.i32And);
      return;
    }
    this.expr(c.a, names, depth);
    this.expr(c.b, names, depth);
    this.body.op(RELATION[c.rel] as number);
  }

  /** The rule's statements adding into the gradient of slot `to`. */
  private stmts(stmts: readonly Stmt[], to: number, names: Names): void {
    const b = this.body;
    for (const s of stmts) {
      if (s.k === 'acc') {
        b.at().load(this.g(to));
        this.expr(s.term, names, 0);
        b.op(s.neg ? OP.f64Sub : OP.f64Add).store(this.g(to));
        continue;
      }
      this.cond(s.c, names, 0);
      b.if();
      this.stmts(s.then, to, names);
      if (s.else.length > 0) {
        b.op(OP.else);
        this.stmts(s.else, to, names);
      }
      b.op(OP.end);
    }
  }

  /** Names for a rule of node `s` whose operands are slots `x` and `y`. */
  private names(s: number, x: number, y: number): Names {
    return (role) => {
      if (role === 'g') this.body.get(GO);
      else this.body.load(this.v(role === 'a' ? x : role === 'b' ? y : s));
    };
  }

  private forward(k: number): void {
    const { firstNode, op, a, b: bs, n, args } = this.tape;
    const b = this.body;
    const code = op[k] as number;
    const ia = a[k] as number;
    const ib = bs[k] as number;
    b.at();
    if (code === SUM.code) {
      // ((v₀ + v₁) + v₂) + …
      for (let j = 0; j < (n[k] as number); j++) {
        b.load(this.v(args[ia + j] as number));
        if (j > 0) b.op(OP.f64Add);
      }
    } else if (code === DOT.code) {
      // ((w₀x₀ + w₁x₁) + …) + bias
      for (let j = 0; j < (n[k] as number); j++) {
        b.load(this.v(args[ia + 2 * j] as number)).load(this.v(args[ia + 2 * j + 1] as number));
        b.op(OP.f64Mul);
        if (j > 0) b.op(OP.f64Add);
      }
      if (ib >= 0) b.load(this.v(ib)).op(OP.f64Add);
    } else {
      const operand = (s: number) => () => {
        b.load(this.v(s));
      };
      this.apply(OPS[code] as Op, ib >= 0 ? [operand(ia), operand(ib)] : [operand(ia)], 0);
    }
    b.store(this.v(firstNode + k));
  }

  private backward(k: number): void {
    const { firstNode, op, a, b: bs, n, args, requiresGrad: rg } = this.tape;
    const b = this.body;
    const s = firstNode + k;
    const code = op[k] as number;
    const ia = a[k] as number;
    const ib = bs[k] as number;
    const stmts = (RULES[code] as (typeof RULES)[number]).stmts;
    b.load(this.g(s)).set(GO);
    if (code === SUM.code) {
      for (let j = ia; j < ia + (n[k] as number); j++) {
        const t = args[j] as number;
        if (rg[t]) this.stmts(stmts[0] ?? [], t, this.names(s, t, t));
      }
      return;
    }
    if (code === DOT.code) {
      this.dotBackward(k, stmts);
      return;
    }
    if (rg[ia]) this.stmts(stmts[0] ?? [], ia, this.names(s, ia, ib));
    if (ib >= 0 && rg[ib]) this.stmts(stmts[1] ?? [], ib, this.names(s, ia, ib));
  }

  /**
   * Dot k's backward, as codegen.ts's descendDotUnit writes it: skipped where
   * its gradient is 0 and its value finite (every term is then ±0, and the
   * gradients, which start every step at +0, never hold −0: see
   * ZERO_SAFE_FLAG in codegen.ts), its flag set so that the end of the run
   * zeroes its parameters' gradients; a parameter it alone uses receives
   * 0 ± term, as p.grad = 0 receives it, and its step p − lr·g at once, after
   * the rules of the pair's other operand (which may read it).
   */
  private dotBackward(k: number, stmts: readonly (readonly Stmt[] | undefined)[]): void {
    const { firstNode, a, b: bs, n, args, requiresGrad: rg } = this.tape;
    const b = this.body;
    const s = firstNode + k;
    const ia = a[k] as number;
    const ib = bs[k] as number;
    const stepped: number[] = [];
    b.get(GO).f64(0).op(OP.f64Ne);
    b.load(this.v(s)).load(this.v(s)).op(OP.f64Sub).f64(0).op(OP.f64Ne);
    b.op(OP.i32Or).if();
    const pair = (w: number, x: number, rules: readonly (readonly Stmt[] | undefined)[]): void => {
      const operands = rules.length === 1 ? [w] : [w, x];
      const on = operands.map((o) => this.fused[o] === 1);
      let names = this.names(s, w, x);
      if (operands.length === 2 && on[0] === true && on[1] === true) {
        b.load(this.v(w)).set(PA).load(this.v(x)).set(PB);
        names = (role) => {
          if (role === 'g') b.get(GO);
          else if (role === 'a') b.get(PA);
          else if (role === 'b') b.get(PB);
          else b.load(this.v(s));
        };
      }
      operands.forEach((o, i) => {
        if (rg[o] === 1 && on[i] !== true) this.stmts(rules[i] ?? [], o, names);
      });
      operands.forEach((o, i) => {
        if (on[i] !== true) return;
        const only = (rules[i] as readonly Stmt[])[0] as Extract<Stmt, { k: 'acc' }>;
        // V[o] = V[o] − lr·(G[o] = 0 ± term)
        b.at().load(this.v(o)).get(LR);
        b.at().f64(0);
        this.expr(only.term, names, 0);
        b.op(only.neg ? OP.f64Sub : OP.f64Add)
          .tee(TEMP_G)
          .store(this.g(o))
          .get(TEMP_G);
        b.op(OP.f64Mul).op(OP.f64Sub).store(this.v(o));
        stepped.push(o);
      });
    };
    for (let j = ia; j < ia + 2 * (n[k] as number); j += 2)
      pair(args[j] as number, args[j + 1] as number, [stmts[0], stmts[1]]);
    if (ib >= 0) pair(ib, ib, [stmts[2]]);
    if (stepped.length > 0) {
      b.at().f64(0).store(this.z(k));
      b.op(OP.else).at().f64(1).store(this.z(k));
      this.fusedDots.push({ k, slots: stepped });
    }
    b.op(OP.end);
  }

  /** The function that zeroes the gradients of the parameters of the dots the last step skipped. */
  writeUnskip(): number[] {
    const u = new Body();
    for (const { k, slots } of this.fusedDots) {
      u.load(this.z(k)).f64(0).op(OP.f64Ne).if();
      for (const o of slots) u.at().f64(0).store(this.g(o));
      u.op(OP.end);
    }
    u.op(OP.end);
    return [...vector([]), ...u.bytes];
  }

  /** The whole step function's code (its locals, its instructions, `end`). */
  write(): number[] {
    const { tape, body: b } = this;
    const { op, nSlots, output, nInputs, paramRequiresGrad, firstNode } = tape;
    for (let k = 0; k < op.length; k++) this.forward(k);
    b.load(this.v(output)).set(OUT);
    // The op nodes' gradients from +0, the output's 1; so the trained
    // parameters' that their dot does not step.
    if (nSlots > firstNode)
      b.i32(this.g(firstNode))
        .i32(0)
        .i32((nSlots - firstNode) * 8)
        .fill();
    const rest: number[] = [];
    for (let i = 0; i < paramRequiresGrad.length; i++)
      if (paramRequiresGrad[i] && this.fused[nInputs + i] === 0) rest.push(nInputs + i);
    for (const s of rest) b.at().f64(0).store(this.g(s));
    if (tape.requiresGrad[output])
      b.at().load(this.g(output)).f64(1).op(OP.f64Add).store(this.g(output));
    for (const k of tape.backward) this.backward(k);
    // p ← p − lr·g, as SGD writes it, for the parameters not stepped in their dot.
    for (const s of rest)
      b.at().load(this.v(s)).get(LR).load(this.g(s)).op(OP.f64Mul).op(OP.f64Sub).store(this.v(s));
    b.get(OUT).op(OP.end);
    // Locals after the parameter lr: GO, OUT, PA, PB, TEMP_G and the temporaries, all f64.
    return [...vector([[...uleb(TEMP - 1 + this.temps), F64]]), ...b.bytes];
  }
}

/** What this file uses of the WebAssembly JavaScript API (not in the ES library types). */
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { readonly exports: Record<string, unknown> };
}
/** Looked up at each use: tests take it away to check the JavaScript paths. */
const wasmApi = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

interface WasmCode {
  readonly source: string;
  readonly numbers: number;
  readonly module: object;
  readonly imports: readonly Op[];
}

/** Compiled modules of recent tapes: a new `fit` of the same shape instantiates, never compiles. */
const modules = new CodeCache<WasmCode>();

/** @internal How many tapes' modules (or refusals) are kept, for tests. */
export const cachedModuleCount = (): number => modules.size;

function compileModule(tape: Tape, api: WasmApi): WasmCode | null {
  const writer = new StepWriter(tape);
  const code = writer.write();
  const unskip = writer.writeUnskip();
  if (code.length > BODY_LIMIT) return null;
  // The values, the gradients, and a flag per op node (see StepWriter.dotBackward).
  const pages = Math.max(1, Math.ceil(((2 * tape.nSlots + tape.op.length) * 8) / 65536));
  const arity = (op: Op): number => (op.arity === 2 ? 2 : 1);
  const own = writer.imports.length;
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    // Types: 0 (f64) → f64 (the step, unary imports), 1 (f64, f64) → f64, 2 () → ().
    ...section(
      1,
      vector([
        [0x60, 1, F64, 1, F64],
        [0x60, 2, F64, F64, 1, F64],
        [0x60, 0, 0],
      ]),
    ),
    ...section(
      2,
      vector(writer.imports.map((op) => [...name('h'), ...name(`o${op.code}`), 0, arity(op) - 1])),
    ),
    ...section(3, vector([[0], [2]])),
    ...section(5, vector([[0, ...uleb(pages)]])),
    ...section(
      7,
      vector([
        [...name('step'), 0, ...uleb(own)],
        [...name('unskip'), 0, ...uleb(own + 1)],
        [...name('mem'), 2, 0],
      ]),
    ),
    ...section(
      10,
      vector([
        [...uleb(code.length), ...code],
        [...uleb(unskip.length), ...unskip],
      ]),
    ),
  ];
  try {
    const module = new api.Module(new Uint8Array(bytes));
    return { source: '', numbers: bytes.length / 8, module, imports: writer.imports };
  } catch {
    // No WebAssembly here (a Content-Security-Policy without 'wasm-unsafe-eval',
    // a browser's main thread refusing a large synchronous compile): JavaScript.
    return null;
  }
}

/**
 * `descend` for a tape in WebAssembly, or null where it cannot be compiled
 * here. A step with a non-finite gradient or parameter leaves a non-finite
 * parameter behind; the run then starts again in the interpreter, checked
 * step by step, from the Values (which only a run that passed writes).
 */
export function wasmDescend(tape: Tape, layout: InputLayout): Descend | null {
  const api = wasmApi();
  if (api === undefined) return null;
  const code = modules.get(tape, layout, 'wasm', () => compileModule(tape, api) ?? nothing);
  if (code === nothing) return null;
  const h: Record<string, (a: number, b: number) => number> = {};
  for (const op of code.imports) h[`o${op.code}`] = op.forward;
  const instance = new api.Instance(code.module, { h });
  const step = instance.exports.step as (lr: number) => number;
  const unskip = instance.exports.unskip as () => void;
  const memory = instance.exports.mem as { readonly buffer: ArrayBuffer };
  const { nInputs, params, paramRequiresGrad, constants, nSlots } = tape;
  const V = new Float64Array(memory.buffer, 0, nSlots);
  const G = new Float64Array(memory.buffer, nSlots * 8, nSlots);
  V.set(constants, nInputs + params.length);
  const trained: number[] = [];
  for (let i = 0; i < params.length; i++) if (paramRequiresGrad[i]) trained.push(i);
  const { sizes, offsets } = layout;
  let busy = false;
  const checked: Descend = (columns, count, lr, losses) =>
    new TapeMachine(tape).descend(layout, columns, count, lr, losses);
  return (columns, count, lr, losses) => {
    if (count === 0) return 0;
    // A call made while this one runs (a getter on a parameter): the interpreter.
    if (busy) return checked(columns, count, lr, losses);
    busy = true;
    try {
      for (let i = 0; i < params.length; i++) V[nInputs + i] = (params[i] as Value).data;
      let total = 0;
      for (let k = 0; k < count; k++) {
        for (let c = 0; c < columns.length; c++) {
          const column = columns[c] as ArrayLike<number>;
          const size = sizes[c] as number;
          const at = offsets[c] as number;
          if (size < 0) V[at] = column[k] as number;
          else for (let j = 0; j < size; j++) V[at + j] = column[k * size + j] as number;
        }
        const out = step(lr);
        losses[k] = out;
        total += out;
      }
      let poison = 0;
      for (const i of trained) {
        const x = V[nInputs + i] as number;
        poison = poison + (x - x);
      }
      if (poison !== 0) return checked(columns, count, lr, losses);
      unskip();
      for (const i of trained) (params[i] as Value).data = V[nInputs + i] as number;
      for (const i of trained) (params[i] as Value).grad = G[nInputs + i] as number;
      return total;
    } finally {
      busy = false;
    }
  };
}

const nothing: WasmCode = {
  source: '',
  numbers: 0,
  module: {},
  imports: [],
};
