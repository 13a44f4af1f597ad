/**
 * The element of index.html with this id, checked to be of the expected kind: the page is
 * static, so a missing one is a bug in the page, not a state to handle.
 * @example
 *   const play = pageElement('play', HTMLButtonElement);
 *   play.disabled = true;
 */
export function pageElement<T extends HTMLElement>(id: string, type: new () => T): T {
  const node = document.getElementById(id);
  if (!(node instanceof type)) throw new Error(`index.html lacks the element #${id}`);
  return node;
}
