/**
 * The micrograd README expression, written in the playground's syntax. micrograd publishes
 * g = 24.7041, dg/da = 138.8338 and dg/db = 645.5773 for it.
 */
export const MICROGRAD_EXPRESSION = [
  'a = -4, b = 2',
  'c = a + b',
  'd = a * b + b**3',
  'c += c + 1',
  'c += 1 + c + (-a)',
  'd += d * 2 + (b + a).relu()',
  'd += 3 * d + (b - a).relu()',
  'e = c - d',
  'f = e**2',
  'g = f / 2.0',
  'g += 10.0 / f',
].join('\n');

/** Expressions offered in the graph view's menu, by title. */
export const EXPRESSION_EXAMPLES: readonly { title: string; source: string }[] = [
  { title: 'micrograd README', source: MICROGRAD_EXPRESSION },
  {
    // Karpathy's "spelled-out intro" neuron: o = tanh(x1·w1 + x2·w2 + b).
    title: 'one tanh neuron',
    source:
      'x1 = 2, x2 = 0\nw1 = -3, w2 = 1\nb = 6.8813735870195432\nn = x1*w1 + x2*w2 + b\no = tanh(n)',
  },
  { title: 'a node used twice', source: 'a = 3\nb = a + a' },
  { title: 'x·exp(−x²)', source: 'x = 0.5\nx * exp(-x**2)' },
  { title: 'log-sum-exp', source: 'a = 1, b = 2\nlog(exp(a) + exp(b))' },
];
