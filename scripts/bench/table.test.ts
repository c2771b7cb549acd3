import { expect, test } from 'vitest';
import { duration, markdownTable, ratio, significant } from './table';

test('a Markdown table with escaped pipes', () => {
  expect(markdownTable(['a', 'b'], [['1', 'x|y']])).toBe('| a | b |\n|---|---|\n| 1 | x\\|y |');
  expect(() => markdownTable(['a', 'b'], [['1']])).toThrow(RangeError);
});

test('three significant digits without exponents, dashes for missing values', () => {
  expect(significant(0.012345)).toBe('0.0123');
  expect(significant(12.345)).toBe('12.3');
  expect(significant(999.7)).toBe('1000');
  expect(significant(123456)).toBe('123456');
  expect(significant(NaN)).toBe('—');
  expect(significant(null)).toBe('—');
});

test('durations switch from ms to s at one second', () => {
  expect(duration(0.5)).toBe('0.500 ms');
  expect(duration(12.34)).toBe('12.3 ms');
  expect(duration(999.7)).toBe('1.00 s');
  expect(duration(61_234)).toBe('61.2 s');
  expect(duration(NaN)).toBe('—');
});

test('ratios', () => {
  expect(ratio(42.42)).toBe('×42.4');
  expect(ratio(null)).toBe('—');
});
