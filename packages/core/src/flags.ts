/**
 * A node's `_f` field packs its op code and its flags into one small integer,
 * so a node is five fields (data, grad, _f, _a, _b) and no Set or Map is needed
 * to walk the graph.
 */

/** Low bits: the index of the node's op in the op table (0 is a leaf). */
export const OP_MASK = 0b11_1111;
/** The node wants a gradient: a leaf marked so, or a node with such an operand. */
export const REQUIRES_GRAD = 1 << 6;
/** Set while a backward pass has entered the node (visited in the sort). */
export const VISITED = 1 << 7;
/** Set while a backward pass has placed the node in its order. */
export const ORDERED = 1 << 8;
/**
 * On a dot node made by `affine` over a kept array of at least KEPT_ROW_MIN
 * elements, the bias included (nary.ts): such an array is `@ag/nn`'s neuron
 * row, the same array in every sample's node, so the backward sort meets its
 * elements once a pass, not once a node (backward.ts).
 */
export const KEPT_ROW = 1 << 9;
/** Bit 10 is free (it held a hint the backward sort no longer reads). */
/**
 * The node's number depends on an input of a function `compile` records: set
 * on the placeholders, and by every op on a node with such an operand (the ops
 * OR it in with REQUIRES_GRAD). Such a node is a TracedNode (traced.ts), whose
 * `data` and `grad` refuse to be read while the recording runs.
 */
export const TRACED = 1 << 11;
/**
 * Bits from here up hold, on a leaf made while `compile` ran its function,
 * that recording's number (traced.ts): a trainable leaf of the current
 * recording was made inside fn, and compiling would freeze it. `_f` stays
 * below 2³⁰ (traced.ts).
 */
export const EPOCH_SHIFT = 16;
