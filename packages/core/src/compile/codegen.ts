/**
 * Generates straight-line JavaScript for a tape: every slot a local variable,
 * every constant a literal, the forward and backward rules of ops.ts written
 * out node by node in the engine's order. One function runs one sample
 * (forward, or forward and backward); `accumulate` loops over samples with
 * the parameters and their gradients held in locals, written back once.
 */
import { describe } from '../describe.js';
import {
  ABS,
  ADD,
  DIV,
  DOT,
  EXP,
  LOG,
  MAX,
  MIN,
  MUL,
  NEG,
  POW,
  RELU,
  SIGMOID,
  SOFTPLUS,
  SQRT,
  SQUARE,
  SUB,
  SUM,
  TANH,
  stableSigmoid,
} from '../ops.js';
import type { Value } from '../value.js';
import { readSample, type InputLayout } from './inputs.js';
import { opName, type Tape } from './tape.js';

/** What the generated code does for one tape. */
export interface GeneratedFunctions {
  readonly run: (sample: unknown) => number;
  readonly backward: (sample: unknown) => number;
  readonly accumulate: (samples: unknown) => number;
}

/**
 * Whether this environment lets code be generated (a Content-Security-Policy
 * without 'unsafe-eval' forbids `new Function`).
 */
export function canGenerateCode(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    return (new Function('return 1') as () => number)() === 1;
  } catch {
    return false;
  }
}

/** A JavaScript literal for x that reads back as the same double (−0, NaN and ±∞ included). */
export function numberLiteral(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '(-Infinity)';
  if (Object.is(x, -0)) return '(-0)';
  // String(x) is the shortest decimal that round-trips (ECMA-262 Number::toString).
  return x < 0 ? `(${String(x)})` : String(x);
}

/** Per op: the forward expression and the backward statements, as ops.ts writes them. */
interface Emitter {
  /** The op's value from its operands' expressions. */
  forward(x: string, y: string): string;
  /**
   * Statements adding the node's gradient `g` into its operands' gradients.
   * `ga`/`gb` are the operands' gradient variables, null where they need none;
   * `v` is the node's value, `x`/`y` the operands'.
   */
  backward(e: {
    v: string;
    g: string;
    x: string;
    y: string;
    ga: string | null;
    gb: string | null;
  }): string;
}

const add = (to: string | null, term: string): string => (to === null ? '' : `${to} += ${term};`);
const subtract = (to: string | null, term: string): string =>
  to === null ? '' : `${to} -= ${term};`;

// Each rule below is the one of ops.ts, with the same operands in the same order.
const EMITTERS = new Map<number, Emitter>([
  [
    ADD.code,
    { forward: (x, y) => `${x} + ${y}`, backward: ({ g, ga, gb }) => add(ga, g) + add(gb, g) },
  ],
  [
    SUB.code,
    { forward: (x, y) => `${x} - ${y}`, backward: ({ g, ga, gb }) => add(ga, g) + subtract(gb, g) },
  ],
  [
    MUL.code,
    {
      forward: (x, y) => `${x} * ${y}`,
      backward: ({ g, x, y, ga, gb }) => add(ga, `${y} * ${g}`) + add(gb, `${x} * ${g}`),
    },
  ],
  [
    DIV.code,
    {
      forward: (x, y) => `${x} / ${y}`,
      backward: ({ g, x, y, ga, gb }) =>
        add(ga, `${g} / ${y}`) + subtract(gb, `(${g} * ${x}) / (${y} * ${y})`),
    },
  ],
  [
    POW.code,
    {
      forward: (x, y) => `Math.pow(${x}, ${y})`,
      backward: ({ v, g, x, y, ga, gb }) =>
        add(ga, `${y} * Math.pow(${x}, ${y} - 1) * ${g}`) +
        add(gb, `${v} * (${x} > 0 ? Math.log(${x}) : ${x} === 0 ? 0 : NaN) * ${g}`),
    },
  ],
  [MAX.code, { forward: (x, y) => `Math.max(${x}, ${y})`, backward: (e) => routeToChosen(e, '>') }],
  [MIN.code, { forward: (x, y) => `Math.min(${x}, ${y})`, backward: (e) => routeToChosen(e, '<') }],
  [NEG.code, { forward: (x) => `-${x}`, backward: ({ g, ga }) => subtract(ga, g) }],
  [
    SQUARE.code,
    { forward: (x) => `${x} * ${x}`, backward: ({ g, x, ga }) => add(ga, `2 * ${x} * ${g}`) },
  ],
  [
    EXP.code,
    { forward: (x) => `Math.exp(${x})`, backward: ({ v, g, ga }) => add(ga, `${v} * ${g}`) },
  ],
  [
    LOG.code,
    { forward: (x) => `Math.log(${x})`, backward: ({ g, x, ga }) => add(ga, `${g} / ${x}`) },
  ],
  [
    SQRT.code,
    {
      forward: (x) => `Math.sqrt(${x})`,
      backward: ({ v, g, ga }) => add(ga, `(0.5 * ${g}) / ${v}`),
    },
  ],
  [
    TANH.code,
    {
      forward: (x) => `Math.tanh(${x})`,
      backward: ({ v, g, ga }) => add(ga, `(1 - ${v} * ${v}) * ${g}`),
    },
  ],
  [
    RELU.code,
    {
      forward: (x) => `(${x} <= 0 ? 0 : ${x})`,
      backward: ({ v, g, ga }) => (ga === null ? '' : `if (${v} > 0) ${add(ga, g)}`),
    },
  ],
  [
    ABS.code,
    {
      forward: (x) => `Math.abs(${x})`,
      backward: ({ g, x, ga }) =>
        ga === null ? '' : `if (${x} > 0) ${add(ga, g)} else if (${x} < 0) ${subtract(ga, g)}`,
    },
  ],
  [
    SIGMOID.code,
    {
      forward: (x) => `sigmoid(${x})`,
      backward: ({ v, g, ga }) => add(ga, `${v} * (1 - ${v}) * ${g}`),
    },
  ],
  [
    SOFTPLUS.code,
    {
      forward: (x) => `Math.max(${x}, 0) + Math.log1p(Math.exp(-Math.abs(${x})))`,
      backward: ({ g, x, ga }) => add(ga, `sigmoid(${x}) * ${g}`),
    },
  ],
]);

/** max/min: the gradient goes to the chosen operand, half to each on a tie (ops.ts routeToChosen). */
function routeToChosen(
  e: { g: string; x: string; y: string; ga: string | null; gb: string | null },
  wins: '>' | '<',
): string {
  const { g, x, y, ga, gb } = e;
  const half = `0.5 * ${g}`;
  return `if (${x} === ${y}) { ${add(ga, half)} ${add(gb, half)} } else if (${x} ${wins} ${y}) { ${add(ga, g)} } else { ${add(gb, g)} }`;
}

/** Terms per statement of a long sum: keeps each expression shallow for the parser. */
const CHUNK = 32;

/** The source of the functions for a tape; exported for inspection in tests. */
export function generateSource(tape: Tape, layout: InputLayout): string {
  const {
    nInputs,
    params,
    paramRequiresGrad,
    constants,
    firstNode,
    op,
    a,
    b,
    n,
    args,
    requiresGrad,
    backward,
    output,
  } = tape;
  const firstConstant = nInputs + params.length;
  const isConstant = (s: number): boolean => s >= firstConstant && s < firstNode;
  const val = (s: number): string =>
    isConstant(s) ? numberLiteral(constants[s - firstConstant] as number) : `v${s}`;
  const gradOf = (s: number): string | null => (requiresGrad[s] ? `g${s}` : null);

  // ---- forward ----
  const fwd: string[] = [];
  for (let k = 0; k < op.length; k++) {
    const code = op[k] as number;
    const out = `v${firstNode + k}`;
    const ia = a[k] as number;
    if (code === SUM.code) {
      // ((v₀ + v₁) + v₂) + …
      const terms = Array.from(args.subarray(ia, ia + (n[k] as number)), val);
      fwd.push(...chunkedSum(out, terms, ''));
    } else if (code === DOT.code) {
      // ((w₀x₀ + w₁x₁) + …) + bias
      const terms: string[] = [];
      for (let j = ia; j < ia + 2 * (n[k] as number); j += 2)
        terms.push(`${val(args[j] as number)} * ${val(args[j + 1] as number)}`);
      const bias = (b[k] as number) >= 0 ? val(b[k] as number) : '';
      fwd.push(...chunkedSum(out, terms, bias));
    } else {
      const emitter = EMITTERS.get(code);
      if (emitter === undefined)
        throw new Error(`compile: no code generation rule for op '${opName(code)}'`);
      const ib = b[k] as number;
      fwd.push(`const ${out} = ${emitter.forward(val(ia), ib >= 0 ? val(ib) : '')};`);
    }
  }

  // ---- backward ----
  const bwd: string[] = [];
  const rootIsNode = output >= firstNode;
  if (!rootIsNode) {
    bwd.push(`g${output} += 1;`); // a leaf output: ∂root/∂root = 1, accumulated
  } else {
    // Op nodes' gradients start at 0 on every pass, the output's at 1; each is
    // complete before its node is visited, so a node's declaration may sit anywhere
    // before its first use: declare them all up front.
    const decl = Array.from(
      backward,
      (k) => `g${firstNode + k} = ${firstNode + k === output ? 1 : 0}`,
    );
    for (let i = 0; i < decl.length; i += CHUNK)
      bwd.push(`let ${decl.slice(i, i + CHUNK).join(', ')};`);
    for (const k of backward) {
      const code = op[k] as number;
      const s = firstNode + k;
      const g = `g${s}`;
      const ia = a[k] as number;
      const ib = b[k] as number;
      if (code === SUM.code) {
        for (let j = ia; j < ia + (n[k] as number); j++)
          bwd.push(add(gradOf(args[j] as number), g));
      } else if (code === DOT.code) {
        for (let j = ia; j < ia + 2 * (n[k] as number); j += 2) {
          const w = args[j] as number;
          const x = args[j + 1] as number;
          bwd.push(add(gradOf(w), `${val(x)} * ${g}`) + add(gradOf(x), `${val(w)} * ${g}`));
        }
        if (ib >= 0) bwd.push(add(gradOf(ib), g));
      } else {
        const emitter = EMITTERS.get(code) as Emitter;
        const x = val(ia);
        const y = ib >= 0 ? val(ib) : '';
        // Unary ops: the operand requires a gradient whenever the node does.
        const ga = ib >= 0 ? gradOf(ia) : `g${ia}`;
        const gb = ib >= 0 ? gradOf(ib) : null;
        bwd.push(emitter.backward({ v: `v${s}`, g, x, y, ga, gb }));
      }
    }
  }

  // ---- parameters ----
  const P = params.map((_, i) => `p${i}`);
  const paramData = params.map((_, i) => `const v${nInputs + i} = p${i}.data;`);
  const trained = params.map((_, i) => i).filter((i) => paramRequiresGrad[i]);
  const gradLoad = trained.map((i) => `let g${nInputs + i} = p${i}.grad;`);
  const gradStore = trained.map((i) => `p${i}.grad = g${nInputs + i};`);

  // ---- samples: checked in generated code; on failure the generic check explains ----
  const checks: string[] = ['if (s === null || typeof s !== "object") fail(s, where);'];
  const loads: string[] = [];
  layout.names.forEach((name, i) => {
    const key = JSON.stringify(name);
    const size = layout.sizes[i] as number;
    const at = layout.offsets[i] as number;
    if (size < 0) {
      checks.push(`if (typeof s[${key}] !== "number") fail(s, where);`);
      loads.push(`const v${at} = s[${key}];`);
    } else {
      checks.push(
        `{ const q = s[${key}]; if (q === null || typeof q !== "object" || q.length !== ${size}) fail(s, where);`,
      );
      for (let j = 0; j < size; j++)
        checks.push(`if (typeof q[${j}] !== "number") fail(s, where);`);
      checks.push('}');
      loads.push(
        `{ const q = s[${key}]; ${Array.from({ length: size }, (_, j) => `v${at + j} = q[${j}];`).join(' ')} }`,
      );
    }
  });
  const inputDecl = `let ${Array.from({ length: layout.width }, (_, i) => `v${i}`).join(', ')};`;
  checks.push(
    `let keys = 0; for (const _ in s) keys++; if (keys !== ${layout.names.length}) fail(s, where);`,
  );
  // Vector inputs are declared with let (filled in a block); scalars too, for one form.
  const load = [inputDecl, ...loads.map((l) => l.replace(/^const /, ''))].join('\n');
  const check = checks.join('\n');
  const outVal = val(output);
  const noGrad = !requiresGrad[output];

  const lines = [
    '"use strict";',
    ...P.map((p, i) => `const ${p} = P[${i}];`),
    `function check(s, where) {\n${check}\n}`,
    `function run(s) {\ncheck(s, "run(inputs)");\n${load}\n${paramData.join('\n')}\n${fwd.join('\n')}\nreturn ${outVal};\n}`,
    noGrad
      ? 'function backward() { noGradient("backward(inputs)"); }'
      : `function backward(s) {\ncheck(s, "backward(inputs)");\n${load}\n${paramData.join('\n')}\n${gradLoad.join('\n')}\n${fwd.join('\n')}\n${bwd.join('\n')}\n${gradStore.join('\n')}\nreturn ${outVal};\n}`,
    noGrad
      ? 'function accumulate() { noGradient("accumulate(samples)"); }'
      : `function accumulate(S) {
if (!Array.isArray(S)) failList(S);
const count = S.length;
for (let i = 0; i < count; i++) check(S[i], i);
${paramData.join('\n')}
${gradLoad.join('\n')}
let total = 0;
for (let i = 0; i < count; i++) {
const s = S[i];
${load}
${fwd.join('\n')}
${bwd.join('\n')}
total += ${outVal};
}
${gradStore.join('\n')}
return total;
}`,
    'return { run, backward, accumulate };',
  ];
  return lines.join('\n');
}

function chunkedSum(out: string, terms: readonly string[], last: string): string[] {
  if (terms.length <= CHUNK)
    return [`const ${out} = ${terms.join(' + ')}${last === '' ? '' : ` + ${last}`};`];
  const lines = [`let ${out}_ = ${terms.slice(0, CHUNK).join(' + ')};`];
  for (let i = CHUNK; i < terms.length; i += CHUNK)
    lines.push(`${out}_ = ${out}_ + ${terms.slice(i, i + CHUNK).join(' + ')};`);
  lines.push(`const ${out} = ${out}_${last === '' ? '' : ` + ${last}`};`);
  return lines;
}

/**
 * Builds the functions for a tape with `new Function`. `noGradient` is called
 * by backward and accumulate when the output needs no gradient.
 */
export function generate(
  tape: Tape,
  layout: InputLayout,
  noGradient: (where: string) => never,
): GeneratedFunctions {
  const source = generateSource(tape, layout);
  const scratch = new Float64Array(layout.width);
  const fail = (sample: unknown, where: string | number): never => {
    readSample(layout, sample, scratch, 0, where);
    const name = typeof where === 'number' ? `accumulate(samples[${where}])` : where;
    throw new TypeError(`${name}: the sample does not match the inputs ${layout.names.join(', ')}`);
  };
  const failList = (samples: unknown): never => {
    throw new TypeError(
      `accumulate(samples): expected an array of samples, received ${describe(samples)}`,
    );
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function('P', 'fail', 'failList', 'noGradient', 'sigmoid', source) as (
    P: readonly Value[],
    fail: (sample: unknown, where: string | number) => never,
    failList: (samples: unknown) => never,
    noGradient: (where: string) => never,
    sigmoid: (x: number) => number,
  ) => GeneratedFunctions;
  return factory(tape.params, fail, failList, noGradient, stableSigmoid);
}
