/**
 * A tape replayed in WebAssembly: one module per tape with four functions over
 * a memory of doubles, written from the op table's rules (rule-ir.ts) as the
 * JavaScript replays are: `step` (descend's sample: forward, backward from +0,
 * SGD), `back` (backward's: forward, backward adding into the gradients the
 * caller loaded), `fwd` (run's) and `unskip` (the end of a descend). Why: V8
 * runs generated JavaScript unoptimized until its optimizing compiler has
 * compiled it, which for a tape of some hundred statements takes about as long
 * as 50,000 samples in the interpreter (see WARM_UP in codegen.ts);
 * WebAssembly is compiled before its first call by a one-pass compiler
 * (Liftoff) and runs near the optimized speed from the first sample.
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
import { CodeCache } from './code-cache.js';
import type { GeneratedFunctions } from './codegen.js';
import { checkSamples, readSample, type InputLayout, type KeyCount } from './inputs.js';
import { interpret, loadSample, TapeMachine } from './interpreter.js';
import { dotFusedSlots, type Tape } from './tape.js';
import { Body, Bytes, F64, I32, name, OP, uleb, vector } from './wasm-writer.js';

/** Locals of the step function: its parameter lr, then four i32, then f64. */
const LR = 0;
/** i32: the byte offset of the current pair in a dot's slot table. */
const I = 1;
/** i32: the byte addresses of the current pair's values (in a loop over a dot's pairs). */
const WA = 2;
const XA = 3;
const I32_LOCALS = 3;
/** The gradient of the node being visited. */
const GO = 4;
/** The step's output (the loss), read before the step changes anything. */
const OUT = 5;
/** A dot's pair of values, read before either is stepped. */
const PA = 6;
const PB = 7;
/** A stepped parameter's gradient; a dot's running sum. */
const TEMP_G = 8;
const SUM_R = 9;
/** Temporaries from here, one per nesting depth of an expression. */
const TEMP = 10;
const F64_FIXED = TEMP - 1 - I32_LOCALS;

/**
 * A dot of at least this many pairs, alike (each operand's value in memory,
 * stepped in the dot or not, with or without a gradient, the same for every
 * weight and for every input), is a loop over a table of its slots: an
 * MLP 64-64-64-10's step is then 40 KB of code instead of 850 KB, which the
 * writer, V8's compilers and the first call all pay for.
 */
const DOT_LOOP = 8;

/**
 * A slot of the step, as the code addresses it: a slot number (≥ 0), or the
 * address held in i32 local l, written −1 − l (the pair in a dot's loop).
 */
type Ref = number;
const inLocal = (local: number): Ref => -1 - local;

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
  body = new Body();
  /**
   * The function being written: `step` (descend's sample: forward, backward
   * from +0, SGD), `back` (backward's: forward, backward adding into the
   * gradients loaded, no step) or `fwd` (run's: forward only).
   */
  private kind: 'step' | 'back' | 'fwd' = 'step';
  /** The ops called as imported functions, in import order. */
  readonly imports: Op[] = [];
  private temps = 0;
  /** Per slot: 1 for a trained parameter that one dot alone uses (its rule there one addition), which takes its step in that dot. */
  readonly fused: Uint8Array;
  /**
   * The dots that step parameters: their node index, those parameters' slots
   * outside a loop, and which side of a looped dot's pairs is stepped.
   */
  readonly fusedDots: {
    k: number;
    slots: number[];
    loop: { w: boolean; x: boolean } | null;
  }[] = [];

  constructor(private readonly tape: Tape) {
    this.fused = dotFusedSlots(tape);
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

  /** Pushes the address operand for slot r (0 for a slot number, the local's address for the other). */
  private addr(r: Ref): Body {
    return r >= 0 ? this.body.at() : this.body.get(-1 - r);
  }

  /** Byte offsets of r's value and gradient past its address operand. */
  private vOff(r: Ref): number {
    return r >= 0 ? this.v(r) : 0;
  }

  private gOff(r: Ref): number {
    return r >= 0 ? this.g(r) : this.tape.nSlots * 8;
  }

  private loadV(r: Ref): Body {
    return this.addr(r).op(OP.f64Load).byte(3).uleb(this.vOff(r));
  }

  private loadG(r: Ref): Body {
    return this.addr(r).op(OP.f64Load).byte(3).uleb(this.gOff(r));
  }

  /** Byte offset of the slot tables (after the values, gradients and dot flags). */
  private get tables(): number {
    return (2 * this.tape.nSlots + this.tape.op.length) * 8;
  }

  /** Slot tables: per looped dot, its pairs' value addresses (w, x, w, x, …). */
  readonly table: number[] = [];
  private readonly tableOf = new Map<number, number>();

  /** Where dot k's pairs start in {@link table} (in bytes from its start), made on first use. */
  private tableStart(k: number): number {
    let at = this.tableOf.get(k);
    if (at !== undefined) return at;
    const { a, n, args } = this.tape;
    at = this.table.length * 4;
    for (let j = a[k] as number; j < (a[k] as number) + 2 * (n[k] as number); j++)
      this.table.push((args[j] as number) * 8);
    this.tableOf.set(k, at);
    return at;
  }

  /**
   * Whether dot k is written as a loop: at least {@link DOT_LOOP} pairs, and
   * its weights alike and its inputs alike (stepped here or not, with or
   * without a gradient).
   */
  private looped(k: number): boolean {
    const { a, n, args, requiresGrad: rg } = this.tape;
    if ((n[k] as number) < DOT_LOOP) return false;
    const ia = a[k] as number;
    for (const side of [0, 1]) {
      const first = args[ia + side] as number;
      for (let j = ia + side; j < ia + 2 * (n[k] as number); j += 2) {
        const t = args[j] as number;
        if (this.fused[t] !== this.fused[first] || rg[t] !== rg[first]) return false;
      }
    }
    return true;
  }

  /**
   * A loop over the pairs of dot k from pair `from` on: each pass loads the
   * pair's addresses into WA and XA and runs `body`.
   */
  private pairLoop(k: number, from: number, body: () => void): void {
    const b = this.body;
    const start = this.tableStart(k) + 8 * from;
    const end = this.tableStart(k) + 8 * (this.tape.n[k] as number);
    b.i32(start).set(I);
    b.loop();
    b.loadI32From(I, this.tables).set(WA);
    b.loadI32From(I, this.tables + 4).set(XA);
    body();
    b.get(I).i32(8).op(OP.i32Add).tee(I).i32(end).op(OP.i32Ne).op(OP.brIf).byte(0);
    b.op(OP.end);
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
  private stmts(stmts: readonly Stmt[], to: Ref, names: Names): void {
    const b = this.body;
    for (const s of stmts) {
      if (s.k === 'acc') {
        this.addr(to);
        this.loadG(to);
        this.expr(s.term, names, 0);
        b.op(s.neg ? OP.f64Sub : OP.f64Add).store(this.gOff(to));
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

  /** Names for a rule of node `s` whose operands are `x` and `y`. */
  private names(s: number, x: Ref, y: Ref): Names {
    return (role) => {
      if (role === 'g') this.body.get(GO);
      else this.loadV(role === 'a' ? x : role === 'b' ? y : s);
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
    } else if (code === DOT.code && this.looped(k)) {
      // ((w₀x₀ + w₁x₁) + …) + bias, the pairs after the first in a loop.
      b.load(this.v(args[ia] as number)).load(this.v(args[ia + 1] as number));
      b.op(OP.f64Mul).set(SUM_R);
      this.pairLoop(k, 1, () => {
        b.get(SUM_R).loadFrom(WA, 0).loadFrom(XA, 0).op(OP.f64Mul).op(OP.f64Add).set(SUM_R);
      });
      b.get(SUM_R);
      if (ib >= 0) b.load(this.v(ib)).op(OP.f64Add);
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
    let loopSteps: { w: boolean; x: boolean } | null = null;
    b.get(GO).f64(0).op(OP.f64Ne);
    b.load(this.v(s)).load(this.v(s)).op(OP.f64Sub).f64(0).op(OP.f64Ne);
    b.op(OP.i32Or);
    // In `back`, gradients start where the caller left them: the skip holds
    // only where none loaded is −0, which the caller says in parameter 0
    // (1: none is; see ZERO_SAFE_FLAG in codegen.ts).
    if (this.kind === 'back') b.get(0).f64(0).op(OP.f64Eq).op(OP.i32Or);
    b.if();
    // fw, fx: the first pair's slots, whose flags every pair of a loop shares.
    const pair = (
      w: Ref,
      x: Ref,
      fw: number,
      fx: number,
      rules: readonly (readonly Stmt[] | undefined)[],
    ): boolean[] => {
      const operands = rules.length === 1 ? [w] : [w, x];
      const flags = rules.length === 1 ? [fw] : [fw, fx];
      const on = flags.map((o) => this.kind === 'step' && this.fused[o] === 1);
      let names = this.names(s, w, x);
      if (operands.length === 2 && on[0] === true && on[1] === true) {
        this.loadV(w).set(PA);
        this.loadV(x).set(PB);
        names = (role) => {
          if (role === 'g') b.get(GO);
          else if (role === 'a') b.get(PA);
          else if (role === 'b') b.get(PB);
          else b.load(this.v(s));
        };
      }
      operands.forEach((o, i) => {
        if (rg[flags[i] as number] === 1 && on[i] !== true) this.stmts(rules[i] ?? [], o, names);
      });
      operands.forEach((o, i) => {
        if (on[i] !== true) return;
        const only = (rules[i] as readonly Stmt[])[0] as Extract<Stmt, { k: 'acc' }>;
        // V[o] = V[o] − lr·(G[o] = 0 ± term)
        this.addr(o);
        this.loadV(o).get(LR);
        this.addr(o).f64(0);
        this.expr(only.term, names, 0);
        b.op(only.neg ? OP.f64Sub : OP.f64Add)
          .tee(TEMP_G)
          .store(this.gOff(o))
          .get(TEMP_G);
        b.op(OP.f64Mul).op(OP.f64Sub).store(this.vOff(o));
        if (o >= 0) stepped.push(o);
      });
      return on;
    };
    if (this.looped(k)) {
      const fw = args[ia] as number;
      const fx = args[ia + 1] as number;
      let on: boolean[] = [];
      this.pairLoop(k, 0, () => {
        on = pair(inLocal(WA), inLocal(XA), fw, fx, [stmts[0], stmts[1]]);
      });
      if (on[0] === true || on[1] === true) loopSteps = { w: on[0] === true, x: on[1] === true };
    } else
      for (let j = ia; j < ia + 2 * (n[k] as number); j += 2) {
        const w = args[j] as number;
        const x = args[j + 1] as number;
        pair(w, x, w, x, [stmts[0], stmts[1]]);
      }
    if (ib >= 0) pair(ib, ib, ib, ib, [stmts[2]]);
    if (stepped.length > 0 || loopSteps !== null) {
      b.at().f64(0).store(this.z(k));
      b.op(OP.else).at().f64(1).store(this.z(k));
      this.fusedDots.push({ k, slots: stepped, loop: loopSteps });
    }
    b.op(OP.end);
  }

  /** The function that zeroes the gradients of the parameters of the dots the last step skipped. */
  writeUnskip(): Uint8Array {
    const u = new Body();
    const gs = this.tape.nSlots * 8;
    // Its one local (i32 0): a byte offset into the slot tables.
    for (const { k, slots, loop } of this.fusedDots) {
      u.load(this.z(k)).f64(0).op(OP.f64Ne).if();
      for (const o of slots) u.at().f64(0).store(this.g(o));
      if (loop !== null) {
        const start = this.tableStart(k);
        const end = start + 8 * (this.tape.n[k] as number);
        u.i32(start).set(0).loop();
        if (loop.w) u.loadI32From(0, this.tables).f64(0).store(gs);
        if (loop.x)
          u.loadI32From(0, this.tables + 4)
            .f64(0)
            .store(gs);
        u.get(0).i32(8).op(OP.i32Add).tee(0).i32(end).op(OP.i32Ne).op(OP.brIf).byte(0);
        u.op(OP.end);
      }
      u.op(OP.end);
    }
    u.op(OP.end);
    return new Bytes().uleb(1).uleb(1).byte(I32).bytes(u.view()).view();
  }

  /** The whole step function's code (its locals, its instructions, `end`). */
  write(kind: 'step' | 'back' | 'fwd'): Uint8Array {
    this.kind = kind;
    this.body = new Body();
    this.temps = 0;
    const { tape, body: b } = this;
    const { op, nSlots, output, nInputs, paramRequiresGrad, firstNode } = tape;
    for (let k = 0; k < op.length; k++) this.forward(k);
    b.load(this.v(output)).set(OUT);
    if (kind === 'fwd') return this.finish();
    // The op nodes' gradients from +0, the output's 1 (added: a leaf
    // output's starts where the caller left it); in a step, so the trained
    // parameters' that their dot does not step.
    if (nSlots > firstNode)
      b.i32(this.g(firstNode))
        .i32(0)
        .i32((nSlots - firstNode) * 8)
        .fill();
    const rest: number[] = [];
    if (kind === 'step')
      for (let i = 0; i < paramRequiresGrad.length; i++)
        if (paramRequiresGrad[i] && this.fused[nInputs + i] === 0) rest.push(nInputs + i);
    for (const s of rest) b.at().f64(0).store(this.g(s));
    if (tape.requiresGrad[output])
      b.at().load(this.g(output)).f64(1).op(OP.f64Add).store(this.g(output));
    for (const k of tape.backward) this.backward(k);
    // p ← p − lr·g, as SGD writes it, for the parameters not stepped in their dot.
    for (const s of rest)
      b.at().load(this.v(s)).get(LR).load(this.g(s)).op(OP.f64Mul).op(OP.f64Sub).store(this.v(s));
    return this.finish();
  }

  /** The function's locals and code, after it returns the output. */
  private finish(): Uint8Array {
    const b = this.body;
    b.get(OUT).op(OP.end);
    // Locals after the parameter lr: I, WA, XA (i32), GO … SUM_R and the temporaries (f64).
    return new Bytes()
      .uleb(2)
      .uleb(I32_LOCALS)
      .byte(I32)
      .uleb(F64_FIXED + this.temps)
      .byte(F64)
      .bytes(b.view())
      .view();
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
  /** The slot tables, and their byte offset in memory. */
  readonly table: Int32Array;
  readonly tables: number;
}

/** Compiled modules of recent tapes: a new `fit` of the same shape instantiates, never compiles. */
const modules = new CodeCache<WasmCode>();

/** @internal How many tapes' modules (or refusals) are kept, for tests. */
export const cachedModuleCount = (): number => modules.size;

function compileModule(tape: Tape, api: WasmApi): WasmCode | null {
  const writer = new StepWriter(tape);
  const code = writer.write('step');
  if (code.length > BODY_LIMIT) return null;
  const unskip = writer.writeUnskip();
  const back = writer.write('back');
  const fwd = writer.write('fwd');
  // The values, the gradients, a flag per op node, the slot tables.
  const tables = (2 * tape.nSlots + tape.op.length) * 8;
  const pages = Math.max(1, Math.ceil((tables + 4 * writer.table.length) / 65536));
  const arity = (op: Op): number => (op.arity === 2 ? 2 : 1);
  const own = writer.imports.length;
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const small = (id: number, body: readonly number[]): void => {
    out.byte(id).uleb(body.length).bytes(body);
  };
  // Types: 0 (f64) → f64 (the step, unary imports), 1 (f64, f64) → f64, 2 () → ().
  small(
    1,
    vector([
      [0x60, 1, F64, 1, F64],
      [0x60, 2, F64, F64, 1, F64],
      [0x60, 0, 0],
    ]),
  );
  small(
    2,
    vector(writer.imports.map((op) => [...name('h'), ...name(`o${op.code}`), 0, arity(op) - 1])),
  );
  // step (lr), unskip (), back (1 where no gradient loaded is −0, else 0), fwd (unused).
  small(3, vector([[0], [2], [0], [0]]));
  small(5, vector([[0, ...uleb(pages)]]));
  small(
    7,
    vector([
      [...name('step'), 0, ...uleb(own)],
      [...name('unskip'), 0, ...uleb(own + 1)],
      [...name('back'), 0, ...uleb(own + 2)],
      [...name('fwd'), 0, ...uleb(own + 3)],
      [...name('mem'), 2, 0],
    ]),
  );
  // The code: a vector of the bodies, each after its size.
  const bodies = [code, unskip, back, fwd];
  out.byte(10).uleb(bodies.reduce((n, f) => n + uleb(f.length).length + f.length, 1));
  out.uleb(bodies.length);
  for (const f of bodies) out.uleb(f.length).bytes(f);
  try {
    const module = new api.Module(out.view());
    return {
      source: '',
      numbers: out.length / 8 + writer.table.length / 2,
      module,
      imports: writer.imports,
      table: Int32Array.from(writer.table),
      tables,
    };
  } catch {
    // No WebAssembly here (a Content-Security-Policy without 'wasm-unsafe-eval',
    // a browser's main thread refusing a large synchronous compile): JavaScript.
    return null;
  }
}

/**
 * A tape's four calls in WebAssembly (see GeneratedFunctions in codegen.ts),
 * or null where it cannot be compiled here. The samples are read and checked
 * as the other replays read them, the parameters and their gradients loaded
 * from and stored to the Values around each call. descend: a step with a
 * non-finite gradient or parameter leaves a non-finite parameter behind; the
 * run then starts again in the interpreter, checked step by step, from the
 * Values (which only a run that passed writes).
 */
export function wasmReplay(
  tape: Tape,
  layout: InputLayout,
  noGradient: (where: string) => never,
): GeneratedFunctions | null {
  const api = wasmApi();
  if (api === undefined) return null;
  const code = modules.get(tape, layout, 'wasm', () => compileModule(tape, api) ?? nothing);
  if (code === nothing) return null;
  const h: Record<string, (a: number, b: number) => number> = {};
  for (const op of code.imports) h[`o${op.code}`] = op.forward;
  let instance: { readonly exports: Record<string, unknown> };
  try {
    instance = new api.Instance(code.module, { h });
  } catch {
    // A browser's main thread refuses to instantiate a large module synchronously; so may a full memory.
    return null;
  }
  const exports = instance.exports as {
    readonly step: (lr: number) => number;
    readonly unskip: () => void;
    readonly back: (zeroSafe: number) => number;
    readonly fwd: (unused: number) => number;
    readonly mem: { readonly buffer: ArrayBuffer };
  };
  const { step, unskip, back, fwd } = exports;
  const { nSlots, requiresGrad, output } = tape;
  const trainable = requiresGrad[output] === 1;
  // The machine over the module's memory: its loads and stores of the
  // parameters, the same as the interpreter's.
  const m = new TapeMachine(
    tape,
    new Float64Array(exports.mem.buffer, 0, nSlots),
    new Float64Array(exports.mem.buffer, nSlots * 8, nSlots),
  );
  const V = m.data;
  new Int32Array(exports.mem.buffer, code.tables, code.table.length).set(code.table);
  const { sizes, offsets } = layout;
  const counted: KeyCount = { last: null };
  const scratch = new Float64Array(layout.width);
  // A call made while another runs (from a getter on a sample or a
  // parameter) runs in the interpreter, which has slots of its own.
  let busy = false;
  let machine: GeneratedFunctions | null = null;
  const again = (): GeneratedFunctions => (machine ??= interpret(tape, layout, noGradient));
  const checked: GeneratedFunctions['descend'] = (columns, count, lr, losses) =>
    new TapeMachine(tape).descend(layout, columns, count, lr, losses);
  const own: GeneratedFunctions = {
    run(sample) {
      readSample(layout, sample, V, 0, 'run(inputs)', counted);
      m.loadParams();
      return fwd(0);
    },
    backward(sample) {
      if (!trainable) noGradient('backward(inputs)');
      readSample(layout, sample, V, 0, 'backward(inputs)', counted);
      m.loadParams();
      const out = back(m.loadParamGrads());
      m.storeParamGrads();
      return out;
    },
    accumulate(samples) {
      if (!trainable) noGradient('accumulate(samples)');
      checkSamples(samples, 'accumulate(samples)');
      // Every sample checked before any gradient changes.
      for (let i = 0; i < samples.length; i++)
        readSample(layout, samples[i], scratch, 0, i, counted);
      m.loadParams();
      const safe = m.loadParamGrads();
      let total = 0;
      for (let i = 0; i < samples.length; i++) {
        readSample(layout, samples[i], V, 0, i);
        total += back(safe);
      }
      m.storeParamGrads();
      return total;
    },
    descend(columns, count, lr, losses) {
      if (count === 0) return 0;
      m.loadParams();
      let total = 0;
      for (let k = 0; k < count; k++) {
        loadSample(V, columns, sizes, offsets, k);
        const out = step(lr);
        losses[k] = out;
        total += out;
      }
      if (m.poisoned()) return checked(columns, count, lr, losses);
      unskip();
      m.storeParams();
      m.storeParamGrads();
      return total;
    },
  };
  const guarded =
    <A extends unknown[]>(
      call: (...args: A) => number,
      other: (replay: GeneratedFunctions) => (...args: A) => number,
    ) =>
    (...args: A): number => {
      if (busy) return other(again())(...args);
      busy = true;
      try {
        return call(...args);
      } finally {
        busy = false;
      }
    };
  return {
    run: guarded(own.run, (r) => r.run),
    backward: guarded(own.backward, (r) => r.backward),
    accumulate: guarded(own.accumulate, (r) => r.accumulate),
    descend: guarded(own.descend, (r) => r.descend),
  };
}

const nothing: WasmCode = {
  source: '',
  numbers: 0,
  module: {},
  imports: [],
  table: new Int32Array(0),
  tables: 0,
};
