import { Value, toGraph } from '@ag/core';
import { EXPRESSION_EXAMPLES } from './expression-examples.js';
import { runExpression } from './expression-eval.js';
import { ExpressionSyntaxError } from './expression-parser.js';
import { renderGraph } from './graph-view.js';
import { formatNumber } from './number-format.js';
import { pageElement } from './page-element.js';

/**
 * The graph half of the page: an expression editor, its graph with data and grad on every
 * node after `backward()`, and a table of the leaves' gradients.
 */
export class GraphPanel {
  readonly #editor = pageElement('expression', HTMLTextAreaElement);
  readonly #examples = pageElement('examples', HTMLSelectElement);
  readonly #zoom = pageElement('zoom', HTMLSelectElement);
  readonly #graph = pageElement('graph', HTMLDivElement);
  readonly #result = pageElement('expr-result', HTMLParagraphElement);
  readonly #error = pageElement('expr-error', HTMLParagraphElement);
  readonly #leaves = pageElement('leaf-table', HTMLTableElement);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #shown: string | undefined;

  /** `onChange` hears every edit of the expression (to keep the URL in step). */
  constructor(
    source: string,
    private readonly onChange: (source: string) => void,
  ) {
    this.#editor.value = source;
    for (const { title } of EXPRESSION_EXAMPLES) {
      const option = document.createElement('option');
      option.value = title;
      option.textContent = title;
      this.#examples.append(option);
    }
    this.#examples.addEventListener('change', () => {
      const example = EXPRESSION_EXAMPLES.find((e) => e.title === this.#examples.value);
      if (example === undefined) return;
      this.#editor.value = example.source;
      this.#examples.value = '';
      this.#changed(0);
    });
    this.#editor.addEventListener('input', () => this.#changed(250));
    this.#zoom.addEventListener('change', () => this.render(true));
    let resizing: ReturnType<typeof setTimeout> | undefined;
    window.addEventListener('resize', () => {
      clearTimeout(resizing);
      // Only a fitted, visible graph depends on the window's width.
      resizing = setTimeout(() => {
        if (this.#zoom.value === 'fit' && this.#graph.offsetParent !== null) this.render(true);
      }, 150);
    });
  }

  #changed(delay: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.onChange(this.#editor.value);
      this.render();
    }, delay);
  }

  /** Parse, run and draw the expression (skipped if it has not changed, unless `force`). */
  render(force = false): void {
    const source = this.#editor.value;
    if (!force && source === this.#shown) return;
    this.#shown = source;
    let root: Value;
    let variables: Map<string, Value | number>;
    try {
      ({ root, variables } = runExpression(source));
    } catch (error) {
      this.#editor.classList.add('invalid');
      this.#error.hidden = false;
      this.#error.textContent =
        error instanceof ExpressionSyntaxError || error instanceof Error
          ? error.message
          : String(error);
      if (error instanceof ExpressionSyntaxError) this.#editor.setCustomValidity(error.message);
      return;
    }
    this.#editor.classList.remove('invalid');
    this.#editor.setCustomValidity('');
    this.#error.hidden = true;
    const graph = toGraph(root);
    const name = root.label ?? 'result';
    this.#result.textContent = `${name} = ${formatNumber(root.data)}   (${graph.nodes.length} nodes; ∂${name}/∂${name} = 1)`;
    this.#result.dataset.value = String(root.data);
    renderGraph(
      this.#graph,
      graph,
      this.#zoom.value === 'fit' ? 'fit' : Number(this.#zoom.value) || 1,
    );

    const body = this.#leaves.tBodies[0] ?? this.#leaves.createTBody();
    body.replaceChildren();
    for (const [label, v] of variables) {
      if (!(v instanceof Value) || !v.isLeaf || !v.requiresGrad) continue;
      const row = body.insertRow();
      row.dataset.label = label;
      row.dataset.grad = String(v.grad);
      row.insertCell().textContent = label;
      row.insertCell().textContent = String(v.data);
      row.insertCell().textContent = String(v.grad);
    }
  }
}
