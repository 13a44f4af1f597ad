/**
 * An ONNX model under construction, encoded by protobufjs from ONNX's own
 * schema (onnx-schema.ts, vendored from onnx.proto): nothing here writes the
 * wire format by hand.
 */
import protobuf from 'protobufjs/light.js';
import { ONNX_SCHEMA } from './onnx-schema.js';

/**
 * The ONNX IR version of every exported model: 8 (ONNX 1.12), which ONNX's
 * checker from 1.12 on and ONNX Runtime from 1.13 on accept.
 *
 * @example
 * ONNX_IR_VERSION; // 8
 */
export const ONNX_IR_VERSION = 8;
/**
 * The opset (default domain) of every exported model: 17, in which each operator
 * used here has its present form.
 *
 * @example
 * ONNX_OPSET; // 17
 */
export const ONNX_OPSET = 17;

/** Numbers as an exported model holds them. */
export type OnnxDtype = 'float64' | 'float32';

/** TensorProto.DataType codes. */
const ELEM_TYPE = { float32: 1, float64: 11, int64: 7 } as const;
/** AttributeProto.AttributeType codes. */
const ATTRIBUTE_INT = 2;

let modelType: protobuf.Type | null = null;
/** The ModelProto type, built from the schema on first use. */
function modelProto(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/** A dimension: a fixed size, or a name for one known only at run time (the batch). */
export type Dim = number | string;

interface NodeSpec {
  op_type: string;
  name: string;
  input: string[];
  output: string[];
  attribute: { name: string; type: number; i: number }[];
}

export class OnnxGraph {
  private readonly nodes: NodeSpec[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private readonly names = new Set<string>();

  constructor(readonly dtype: OnnxDtype) {}

  /** A name not used yet: `base`, else `base_1`, `base_2`, … */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** A graph input of the model's dtype. */
  input(name: string, shape: readonly Dim[]): string {
    this.inputs.push(this.valueInfo(name, shape));
    return name;
  }

  /** Declares `name` a graph output (`shape` null: left to the runtime to infer). */
  output(name: string, shape: readonly Dim[] | null): void {
    this.outputs.push(this.valueInfo(name, shape));
  }

  /** A constant tensor of the model's dtype, stored little-endian in raw_data. */
  initializer(name: string, dims: readonly number[], values: ArrayLike<number>): string {
    const size = this.dtype === 'float64' ? 8 : 4;
    const raw = new Uint8Array(values.length * size);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) {
      if (size === 8) view.setFloat64(i * 8, values[i] as number, true);
      else view.setFloat32(i * 4, values[i] as number, true);
    }
    this.initializers.push({
      name,
      dims: [...dims],
      data_type: ELEM_TYPE[this.dtype],
      raw_data: raw,
    });
    return name;
  }

  /** A constant int64 tensor (indices for Gather). */
  int64Initializer(name: string, dims: readonly number[], values: readonly number[]): string {
    this.initializers.push({
      name,
      dims: [...dims],
      data_type: ELEM_TYPE.int64,
      int64_data: [...values],
    });
    return name;
  }

  /** Adds a node; returns its output's name. */
  node(
    opType: string,
    inputs: readonly string[],
    output: string,
    ints: Record<string, number> = {},
  ): string {
    this.nodes.push({
      op_type: opType,
      name: output,
      input: [...inputs],
      output: [output],
      attribute: Object.entries(ints).map(([name, i]) => ({ name, type: ATTRIBUTE_INT, i })),
    });
    return output;
  }

  /** The ModelProto's bytes. */
  encode(graphName: string, docString: string): Uint8Array {
    const type = modelProto();
    const model = type.fromObject({
      ir_version: ONNX_IR_VERSION,
      producer_name: '@ag/io',
      doc_string: docString,
      opset_import: [{ domain: '', version: ONNX_OPSET }],
      graph: {
        name: graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    // In Node, protobufjs hands out a Buffer, often a slice of a shared pool:
    // copy it into a Uint8Array of its own, as in browsers.
    return new Uint8Array(type.encode(model).finish());
  }

  private valueInfo(name: string, shape: readonly Dim[] | null): object {
    const tensorType: Record<string, unknown> = { elem_type: ELEM_TYPE[this.dtype] };
    if (shape !== null)
      tensorType.shape = {
        dim: shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })),
      };
    return { name, type: { tensor_type: tensorType } };
  }
}
