import { expect } from 'vitest';

/**
 * A duration or a rate that the code measured and reported: a finite number above zero. It says the figure is there,
 * never how fast anything went: tests assert behaviour, speed is for `npm run bench` (../shared/design/quality.md).
 */
export function expectMeasured(value: number | null | undefined, what: string): void {
  expect(typeof value === 'number' && Number.isFinite(value) && value > 0, `${what} : mesure absente ou nulle (${value})`).toBe(true);
}
