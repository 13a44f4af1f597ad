import { describe, expect, it } from 'vitest';
import type { Expr } from './expression-parser.js';
import { ExpressionSyntaxError, parseProgram } from './expression-parser.js';

/** Write an expression tree back as fully parenthesized text, to read precedence at a glance. */
function show(e: Expr): string {
  switch (e.kind) {
    case 'number':
      return String(e.value);
    case 'variable':
      return e.name;
    case 'negate':
      return `(-${show(e.arg)})`;
    case 'binary':
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
    case 'call':
      return `${e.fn}(${show(e.arg)})`;
  }
}

function parseOne(source: string): string {
  const { statements } = parseProgram(source);
  expect(statements).toHaveLength(1);
  const [statement] = statements;
  if (statement === undefined) throw new Error('no statement');
  return show(statement.expr);
}

function syntaxError(source: string): ExpressionSyntaxError {
  try {
    parseProgram(source);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for ${JSON.stringify(source)}`);
}

describe('parseProgram', () => {
  it('gives * and / precedence over + and -, all left-associative', () => {
    expect(parseOne('a + b * c - d / e')).toBe('((a + (b * c)) - (d / e))');
    expect(parseOne('a - b - c')).toBe('((a - b) - c)');
    expect(parseOne('a / b / c')).toBe('((a / b) / c)');
  });

  it('makes ** bind tighter than unary minus and associate to the right, as Python does', () => {
    expect(parseOne('-a**2')).toBe('(-(a ** 2))');
    expect(parseOne('a**b**c')).toBe('(a ** (b ** c))');
    expect(parseOne('a**-1')).toBe('(a ** -1)');
    expect(parseOne('2*a**3')).toBe('(2 * (a ** 3))');
  });

  it('folds a minus sign on a literal into the literal and drops unary plus', () => {
    expect(parseOne('-4')).toBe('-4');
    expect(parseOne('--4')).toBe('4');
    expect(parseOne('+a')).toBe('a');
    expect(parseOne('-(a)')).toBe('(-a)');
  });

  it('reads numbers in decimal and exponent notation', () => {
    expect(parseOne('1.5e3 + .25 + 2.')).toBe('((1500 + 0.25) + 2)');
  });

  it('accepts functions as calls and as methods', () => {
    expect(parseOne('relu(a + b)')).toBe('relu((a + b))');
    expect(parseOne('(a + b).relu().exp()')).toBe('exp(relu((a + b)))');
    expect(parseOne('tanh(x) * log(y) + sigmoid(z)')).toBe('((tanh(x) * log(y)) + sigmoid(z))');
  });

  it('splits statements on newlines, ; and , but not on newlines inside parentheses', () => {
    const { statements } = parseProgram(
      'a = -4, b = 2; c = (a +\n b)\n\n# a comment\nc += 1 # trailing',
    );
    expect(
      statements.map((s) =>
        s.kind === 'assign' ? `${s.name} ${s.op} ${show(s.expr)}` : show(s.expr),
      ),
    ).toEqual(['a = -4', 'b = 2', 'c = (a + b)', 'c += 1']);
  });

  it('reports where the input went wrong', () => {
    const unclosed = syntaxError('a = 1\nb = (a + 2');
    expect(unclosed.message).toBe(
      "expected ')' but found the end of the input (line 2, column 11)",
    );
    expect(unclosed.index).toBe(16);

    expect(syntaxError('a $ b').message).toBe("unexpected character '$' (line 1, column 3)");
    expect(syntaxError('a b').message).toMatch(
      /^expected an operator or the end of the statement but found 'b'/,
    );
    expect(syntaxError('foo(1)').message).toMatch(
      /^unknown function 'foo' \(known: relu, tanh, exp/,
    );
    expect(syntaxError('a.sin()').message).toMatch(/^unknown function 'sin'/);
    expect(syntaxError('relu + 1').message).toMatch(/^'relu' is a function/);
    expect(syntaxError('tanh = 3').message).toMatch(/^cannot assign to the function name 'tanh'/);
    expect(syntaxError('relu(a, b)').message).toMatch(/^unexpected ',' inside parentheses/);
    expect(syntaxError('a * ').message).toMatch(
      /^expected a number, a variable or '\(' but found the end/,
    );
    expect(syntaxError(' \n ;').message).toMatch(/^the expression is empty/);
  });

  it('rejects a source that is not a string with a TypeError', () => {
    expect(() => parseProgram(42 as unknown as string)).toThrow(
      new TypeError('parseProgram: source must be a string, received number'),
    );
  });
});

describe('parseProgram on deep nesting', () => {
  it('rejects 1,600 nested parentheses with a positioned error, not a stack overflow', () => {
    const source = `${'('.repeat(1600)}x${')'.repeat(1600)}`;
    let error: unknown;
    try {
      parseProgram(source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExpressionSyntaxError);
    const syntax = error as ExpressionSyntaxError;
    // The 201st '(' (offset 200) is one level too deep.
    expect(syntax.message).toMatch(/nested more than 200 levels deep/);
    expect(syntax.index).toBe(200);
    expect(syntax.line).toBe(1);
    expect(syntax.column).toBe(201);
  });

  it('rejects deep chains of unary minus, calls and ** the same way', () => {
    expect(() => parseProgram(`${'-'.repeat(5000)}x`)).toThrow(ExpressionSyntaxError);
    expect(() => parseProgram(`${'relu('.repeat(2000)}x${')'.repeat(2000)}`)).toThrow(
      /nested more than 200 levels deep/,
    );
    expect(() => parseProgram(`x${'**x'.repeat(5000)}`)).toThrow(/nested more than 200/);
  });

  it('accepts 200 levels', () => {
    const source = `${'('.repeat(199)}x${')'.repeat(199)}`;
    expect(parseProgram(source).statements).toHaveLength(1);
  });
});
