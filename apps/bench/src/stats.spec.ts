import { countDeliveries, highestSustained, median, percentileOfSorted, ratio, summarizeLatencies } from './stats';

describe('percentileOfSorted (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the value at the rank, without interpolating', () => {
    expect(percentileOfSorted(hundred, 50)).toBe(50);
    expect(percentileOfSorted(hundred, 99)).toBe(99);
    expect(percentileOfSorted(hundred, 100)).toBe(100);
  });

  it('lets one slow message in a hundred show as the p99 of 99 fast ones and it', () => {
    const values = [...Array.from({ length: 99 }, () => 1), 80];
    expect(percentileOfSorted(values, 99)).toBe(1);
    expect(percentileOfSorted([...values, 80], 99)).toBe(80);
  });

  it('is NaN for no values and the minimum at p0', () => {
    expect(percentileOfSorted([], 50)).toBeNaN();
    expect(percentileOfSorted([3, 4], 0)).toBe(3);
  });
});

describe('summarizeLatencies', () => {
  it('sorts numerically, not as strings', () => {
    expect(summarizeLatencies([10, 9, 100, 2])).toEqual({ count: 4, p50: 9, p99: 100, max: 100 });
  });
});

describe('median', () => {
  it('takes the middle run, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ignores failed runs (NaN) and is NaN without any run', () => {
    expect(median([Number.NaN, 2, 4])).toBe(3);
    expect(median([])).toBeNaN();
  });
});

describe('ratio', () => {
  it('divides, and is NaN when a side is missing or zero', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(undefined, 2)).toBeNaN();
    expect(ratio(1, 0)).toBeNaN();
    expect(ratio(Number.NaN, 1)).toBeNaN();
  });
});

describe('countDeliveries', () => {
  it('counts each message once, and extra arrivals as duplicates', () => {
    const receipts = Uint8Array.from([1, 0, 2, 1, 3]);
    expect(countDeliveries(receipts, 5)).toEqual({ sent: 5, delivered: 4, lost: 1, duplicates: 3 });
  });

  it('looks only at the messages actually sent', () => {
    expect(countDeliveries(Uint8Array.from([1, 1, 0, 0]), 2)).toEqual({ sent: 2, delivered: 2, lost: 0, duplicates: 0 });
  });
});

describe('highestSustained', () => {
  it('is the last rate held below the first one that failed', () => {
    const steps = [
      { rate: 1000, passed: true },
      { rate: 4000, passed: false },
      { rate: 2000, passed: true },
      { rate: 8000, passed: true },
    ];
    expect(highestSustained(steps)).toBe(2000);
  });

  it('is undefined when even the lowest rate failed', () => {
    expect(highestSustained([{ rate: 500, passed: false }])).toBeUndefined();
  });
});
