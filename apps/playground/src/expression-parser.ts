/**
 * A tiny expression language for the graph view, parsed by hand (no dependency).
 *
 * A program is a list of statements separated by newlines, `;` or `,`:
 *   `a = -4, b = 2`           assignments (a plain number makes a labelled leaf)
 *   `c += c + 1`              compound assignment (`+=`, `-=`, `*=`, `/=`)
 *   `tanh(a * b + 1)`         an expression
 * Expressions use numbers, variables, `+ - * / **` (`**` binds tightest and to the right,
 * as in Python, so `-a**2` is `-(a**2)`), unary minus, parentheses, and the functions
 * `relu tanh exp log sigmoid abs sqrt` either as calls `relu(x)` or as methods `x.relu()`.
 * `#` starts a comment that runs to the end of the line.
 */

export const FUNCTIONS = ['relu', 'tanh', 'exp', 'log', 'sigmoid', 'abs', 'sqrt'] as const;
export type FunctionName = (typeof FUNCTIONS)[number];

export type BinaryOperator = '+' | '-' | '*' | '/' | '**';
export type AssignOperator = '=' | '+=' | '-=' | '*=' | '/=';

export type Expr =
  | { kind: 'number'; value: number; index: number }
  | { kind: 'variable'; name: string; index: number }
  | { kind: 'negate'; arg: Expr; index: number }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; index: number }
  | { kind: 'call'; fn: FunctionName; arg: Expr; index: number };

export type Statement =
  | { kind: 'assign'; name: string; op: AssignOperator; expr: Expr; index: number }
  | { kind: 'expression'; expr: Expr; index: number };

export interface Program {
  statements: Statement[];
}

/** A syntax error with the offset (0-based) and line/column (1-based) where it was found. */
export class ExpressionSyntaxError extends SyntaxError {
  readonly index: number;
  readonly line: number;
  readonly column: number;

  constructor(message: string, source: string, index: number) {
    const before = source.slice(0, index);
    const line = before.split('\n').length;
    const column = index - before.lastIndexOf('\n');
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'ExpressionSyntaxError';
    this.index = index;
    this.line = line;
    this.column = column;
  }
}

type TokenKind = 'number' | 'name' | 'op' | 'assign' | '(' | ')' | '.' | 'sep' | 'end';

interface Token {
  kind: TokenKind;
  text: string;
  index: number;
}

const NUMBER = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  // Newlines inside parentheses do not end a statement.
  let depth = 0;
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (ch === '#') {
      while (i < source.length && source.charAt(i) !== '\n') i++;
      continue;
    }
    if (ch === '\n' || ch === ';' || ch === ',') {
      if (depth > 0) {
        if (ch === '\n') {
          i++;
          continue;
        }
        throw new ExpressionSyntaxError(`unexpected '${ch}' inside parentheses`, source, i);
      }
      tokens.push({ kind: 'sep', text: ch, index: i });
      i++;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const rest = source.slice(i);
    const number = NUMBER.exec(rest);
    if (number) {
      tokens.push({ kind: 'number', text: number[0], index: i });
      i += number[0].length;
      continue;
    }
    const name = NAME.exec(rest);
    if (name) {
      tokens.push({ kind: 'name', text: name[0], index: i });
      i += name[0].length;
      continue;
    }
    const two = rest.slice(0, 2);
    if (two === '**') {
      tokens.push({ kind: 'op', text: two, index: i });
      i += 2;
      continue;
    }
    if (two === '+=' || two === '-=' || two === '*=' || two === '/=') {
      tokens.push({ kind: 'assign', text: two, index: i });
      i += 2;
      continue;
    }
    if (ch === '=') {
      tokens.push({ kind: 'assign', text: ch, index: i });
      i++;
      continue;
    }
    if (ch === '+' || ch === '-' || ch === '*' || ch === '/') {
      tokens.push({ kind: 'op', text: ch, index: i });
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === '.') {
      if (ch === '(') depth++;
      if (ch === ')') depth = Math.max(0, depth - 1);
      tokens.push({ kind: ch, text: ch, index: i });
      i++;
      continue;
    }
    throw new ExpressionSyntaxError(`unexpected character '${ch}'`, source, i);
  }
  tokens.push({ kind: 'end', text: '', index: source.length });
  return tokens;
}

function isFunction(name: string): name is FunctionName {
  return (FUNCTIONS as readonly string[]).includes(name);
}

/**
 * How deeply parentheses, calls, signs and `**` exponents may nest. The parser is recursive
 * (about six frames a level), so without a bound 1,600 nested parentheses overflow the stack;
 * 200 levels is far beyond any expression a person writes and far within the stack.
 */
export const MAX_NESTING = 200;

class Parser {
  private pos = 0;
  private depth = 0;

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  private peek(offset = 0): Token {
    const last = this.tokens[this.tokens.length - 1] as Token;
    return this.tokens[this.pos + offset] ?? last;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.pos++;
    return token;
  }

  private fail(message: string, token: Token = this.peek()): never {
    throw new ExpressionSyntaxError(message, this.source, token.index);
  }

  /** Run `parse` one nesting level deeper; `token` opens the level and is where an error points. */
  private nested<T>(token: Token, parse: () => T): T {
    if (this.depth >= MAX_NESTING) {
      this.fail(`the expression is nested more than ${MAX_NESTING} levels deep`, token);
    }
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  private expect(kind: TokenKind, what: string): Token {
    const token = this.peek();
    if (token.kind !== kind) this.fail(`expected ${what} but found ${describe(token)}`);
    return this.next();
  }

  program(): Program {
    const statements: Statement[] = [];
    for (;;) {
      while (this.peek().kind === 'sep') this.next();
      if (this.peek().kind === 'end') break;
      statements.push(this.statement());
      const after = this.peek();
      if (after.kind !== 'sep' && after.kind !== 'end') {
        this.fail(`expected an operator or the end of the statement but found ${describe(after)}`);
      }
    }
    if (statements.length === 0) this.fail('the expression is empty');
    return { statements };
  }

  private statement(): Statement {
    const first = this.peek();
    const second = this.peek(1);
    if (first.kind === 'name' && second.kind === 'assign') {
      if (isFunction(first.text)) this.fail(`cannot assign to the function name '${first.text}'`);
      this.next();
      this.next();
      const expr = this.expression();
      return {
        kind: 'assign',
        name: first.text,
        op: second.text as AssignOperator,
        expr,
        index: first.index,
      };
    }
    return { kind: 'expression', expr: this.expression(), index: first.index };
  }

  // expression := term (('+' | '-') term)*
  private expression(): Expr {
    let left = this.term();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || (token.text !== '+' && token.text !== '-')) return left;
      this.next();
      const right = this.term();
      left = { kind: 'binary', op: token.text, left, right, index: token.index };
    }
  }

  // term := unary (('*' | '/') unary)*
  private term(): Expr {
    let left = this.unary();
    for (;;) {
      const token = this.peek();
      if (token.kind !== 'op' || (token.text !== '*' && token.text !== '/')) return left;
      this.next();
      const right = this.unary();
      left = { kind: 'binary', op: token.text, left, right, index: token.index };
    }
  }

  // unary := ('-' | '+') unary | power
  private unary(): Expr {
    const token = this.peek();
    if (token.kind === 'op' && (token.text === '-' || token.text === '+')) {
      this.next();
      const arg = this.nested(token, () => this.unary());
      if (token.text === '+') return arg;
      // A negative literal stays a literal, so `a = -4` makes a leaf holding -4.
      if (arg.kind === 'number') return { kind: 'number', value: -arg.value, index: token.index };
      return { kind: 'negate', arg, index: token.index };
    }
    return this.power();
  }

  // power := postfix ('**' unary)?   (right-associative, exponent may carry a sign)
  private power(): Expr {
    const base = this.postfix();
    const token = this.peek();
    if (token.kind === 'op' && token.text === '**') {
      this.next();
      const exponent = this.nested(token, () => this.unary());
      return { kind: 'binary', op: '**', left: base, right: exponent, index: token.index };
    }
    return base;
  }

  // postfix := primary ('.' FUNCTION '(' ')')*
  private postfix(): Expr {
    let expr = this.primary();
    while (this.peek().kind === '.') {
      const dot = this.next();
      const name = this.expect('name', 'a function name after "."');
      if (!isFunction(name.text)) this.fail(unknownFunction(name.text), name);
      this.expect('(', "'('");
      this.expect(')', "')' (methods take no arguments)");
      expr = { kind: 'call', fn: name.text, arg: expr, index: dot.index };
    }
    return expr;
  }

  // primary := NUMBER | NAME | FUNCTION '(' expression ')' | '(' expression ')'
  private primary(): Expr {
    const token = this.peek();
    if (token.kind === 'number') {
      this.next();
      return { kind: 'number', value: Number(token.text), index: token.index };
    }
    if (token.kind === 'name') {
      this.next();
      if (this.peek().kind === '(') {
        if (!isFunction(token.text)) this.fail(unknownFunction(token.text), token);
        const open = this.next();
        const arg = this.nested(open, () => this.expression());
        this.expect(')', "')'");
        return { kind: 'call', fn: token.text, arg, index: token.index };
      }
      if (isFunction(token.text))
        this.fail(`'${token.text}' is a function: write ${token.text}(x)`, token);
      return { kind: 'variable', name: token.text, index: token.index };
    }
    if (token.kind === '(') {
      this.next();
      const inner = this.nested(token, () => this.expression());
      this.expect(')', "')'");
      return inner;
    }
    return this.fail(`expected a number, a variable or '(' but found ${describe(token)}`);
  }
}

function describe(token: Token): string {
  if (token.kind === 'end') return 'the end of the input';
  if (token.kind === 'sep') return token.text === '\n' ? 'the end of the line' : `'${token.text}'`;
  return `'${token.text}'`;
}

function unknownFunction(name: string): string {
  return `unknown function '${name}' (known: ${FUNCTIONS.join(', ')})`;
}

/**
 * Parse a program of the playground's expression language into statements.
 * @example
 *   parseProgram('a = -4, b = 2; a * b').statements.length; // 3
 *   parseProgram('relu(x').statements; // throws ExpressionSyntaxError: expected ')' ...
 */
export function parseProgram(source: string): Program {
  if (typeof source !== 'string') {
    throw new TypeError(`parseProgram: source must be a string, received ${typeof source}`);
  }
  return new Parser(source, tokenize(source)).program();
}
