import { describe, expect, it } from 'vitest';
import { moons } from './generators/moons.js';
import { checkFinite, checkOneOf, checkOptions, describe as describeValue } from './checks.js';

// One style with @ag/core and @ag/nn (issue 18): checkX(value, name), messages
// "name: expected …, received …", and one wording for an unknown option.
describe('argument checks read as in @ag/core and @ag/nn', () => {
  it('value first, then the name; "expected …, received …"', () => {
    expect(() => checkFinite(NaN, 'options.noise')).toThrow(
      /^options\.noise: expected a finite number, received NaN$/,
    );
    expect(() => checkFinite('1', 'options.noise')).toThrow(
      /^options\.noise: expected a number, received string "1"$/,
    );
    expect(() => checkOneOf('x', 'options.labels', ['01', 'pm1'])).toThrow(
      /^options\.labels: expected '01' or 'pm1', received string "x"$/,
    );
  });

  it("an unknown option reads \"unknown option 'key' (expected …)\", as in @ag/nn's fit", () => {
    expect(() => moons({ sample: 10 } as never)).toThrow(
      /^moons\(options\): unknown option 'sample' \(expected 'samples', 'noise', 'shuffle', 'seed' or 'labels'\)$/,
    );
    expect(() => checkOptions(3, 'f(options)', [])).toThrow(
      /^f\(options\): expected an options object, received number 3$/,
    );
  });

  it("describes values as @ag/core's describe does", () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(2)).toBe('number 2');
    expect(describeValue('a')).toBe('string "a"');
    expect(describeValue([1, 2])).toBe('an array of length 2');
    expect(describeValue(new Map())).toBe('an object (Map)');
    expect(describeValue(1n)).toBe('bigint 1');
  });
});
