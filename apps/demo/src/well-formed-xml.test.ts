import { describe, expect, it } from 'vitest';
import { xmlRoot } from './well-formed-xml.js';

describe('xmlRoot', () => {
  it('accepts a document with a prolog, DOCTYPE, comments and entities', () => {
    const doc = `<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"\n "x.dtd">\n<!-- c -->\n<svg a="1" b='2'><g><text>a &amp; b &#60;</text></g><path d="M0 0"/></svg>\n`;
    expect(xmlRoot(doc)).toBe('svg');
  });

  it.each([
    ['<svg><g></svg>', '</svg> closes <g>'],
    ['<svg>', 'never closed'],
    ['<svg></svg><svg></svg>', 'second root'],
    ['<svg a=1></svg>', 'malformed start tag'],
    ['<svg>a & b</svg>', 'bare &'],
    ['<svg a="1" a="2"></svg>', 'repeated attribute'],
    ['hello', 'text outside'],
    ['', 'no root'],
  ])('rejects %s', (doc, why) => {
    expect(() => xmlRoot(doc)).toThrow(why);
  });
});
