import { gridLayout } from './grid-layout';

describe('gridLayout', () => {
  it('on a laptop, puts two to four people in two columns and more in three', () => {
    expect([1, 2, 4, 5, 6].map((count) => gridLayout(count, 'wide'))).toEqual([
      { columns: 1, rows: 1 },
      { columns: 2, rows: 1 },
      { columns: 2, rows: 2 },
      { columns: 3, rows: 2 },
      { columns: 3, rows: 2 },
    ]);
  });

  it('on a phone held upright, stacks up to three and uses two columns from four', () => {
    expect([3, 4, 6].map((count) => gridLayout(count, 'portrait'))).toEqual([
      { columns: 1, rows: 3 },
      { columns: 2, rows: 2 },
      { columns: 2, rows: 3 },
    ]);
  });

  it('on a phone on its side, puts up to three in one row and never more than two rows', () => {
    expect([1, 3, 4, 6, 12].map((count) => gridLayout(count, 'landscape-phone'))).toEqual([
      { columns: 1, rows: 1 },
      { columns: 3, rows: 1 },
      { columns: 2, rows: 2 },
      { columns: 3, rows: 2 },
      { columns: 6, rows: 2 },
    ]);
  });

  it('counts an empty room as one tile (yourself)', () => {
    expect(gridLayout(0, 'wide')).toEqual({ columns: 1, rows: 1 });
  });
});
