/**
 * A small XML well-formedness check, enough to tell that a written SVG will open:
 * one root element, every tag closed in order, quoted attributes, no stray '<' or '&'.
 * Returns the root element's name, or throws an Error saying where the document breaks.
 *
 * @example
 * xmlRoot('<svg xmlns="http://www.w3.org/2000/svg"><g/></svg>'); // 'svg'
 * xmlRoot('<svg><g></svg>');                                      // throws: </svg> closes <g>
 */
export function xmlRoot(text: string): string {
  const stack: string[] = [];
  let root: string | undefined;
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`not well-formed XML at offset ${i}: ${why}`);
  };
  const skipPast = (end: string, what: string): void => {
    const at = text.indexOf(end, i);
    if (at < 0) fail(`unterminated ${what}`);
    i = at + end.length;
  };
  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const chunk = text.slice(i, lt < 0 ? text.length : lt);
    checkText(chunk, stack.length > 0, (why) => fail(why));
    if (lt < 0) break;
    i = lt;
    if (text.startsWith('<?', i)) skipPast('?>', 'processing instruction');
    else if (text.startsWith('<!--', i)) skipPast('-->', 'comment');
    else if (text.startsWith('<![CDATA[', i)) skipPast(']]>', 'CDATA section');
    else if (text.startsWith('<!DOCTYPE', i)) {
      if (root !== undefined) fail('DOCTYPE after the root element');
      skipPast('>', 'DOCTYPE');
    } else if (text.startsWith('</', i)) {
      const m = /^<\/([A-Za-z_][\w:.-]*)\s*>/.exec(text.slice(i));
      if (m === null) fail('malformed end tag');
      const name = m?.[1] ?? '';
      const open = stack.pop();
      if (open !== name) fail(`</${name}> closes <${open ?? 'nothing'}>`);
      i += m?.[0].length ?? 0;
    } else {
      const m =
        /^<([A-Za-z_][\w:.-]*)((?:\s+[A-Za-z_][\w:.-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>/.exec(
          text.slice(i),
        );
      if (m === null) fail('malformed start tag');
      const name = m?.[1] ?? '';
      checkAttributes(m?.[2] ?? '', (why) => fail(why));
      if (stack.length === 0) {
        if (root !== undefined) fail(`second root element <${name}>`);
        root = name;
      }
      if (m?.[3] !== '/') stack.push(name);
      i += m?.[0].length ?? 0;
    }
  }
  if (stack.length > 0) fail(`<${stack[stack.length - 1] ?? ''}> is never closed`);
  if (root === undefined) fail('no root element');
  return root ?? '';
}

const ENTITY = /^&(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);/;

function checkText(chunk: string, inside: boolean, fail: (why: string) => void): void {
  if (!inside && chunk.trim() !== '') fail('text outside the root element');
  for (let k = chunk.indexOf('&'); k >= 0; k = chunk.indexOf('&', k + 1)) {
    if (!ENTITY.test(chunk.slice(k))) fail('bare & in text');
  }
}

function checkAttributes(attrs: string, fail: (why: string) => void): void {
  const names = [...attrs.matchAll(/([A-Za-z_][\w:.-]*)\s*=/g)].map((m) => m[1]);
  if (new Set(names).size !== names.length) fail('repeated attribute');
  checkText(attrs, true, fail);
}
