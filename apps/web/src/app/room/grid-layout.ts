/** The screen's shape, from media queries: a laptop, a phone held upright, or a phone on its side. */
export type ScreenShape = 'wide' | 'portrait' | 'landscape-phone';

/** A phone on its side: little height, so tiles go side by side (844×390 leaves about 290 px for the grid). */
export const LANDSCAPE_PHONE_QUERY = '(max-height: 500px) and (orientation: landscape)';
export const PORTRAIT_QUERY = '(max-width: 720px)';

/**
 * Rows and columns so every tile fits on screen at once, as large as it can:
 * side by side on a laptop, stacked on a phone held upright, in one row (two
 * from four people on) on a phone on its side, where two rows of three would
 * leave each tile a sliver.
 */
export function gridLayout(participants: number, shape: ScreenShape): { columns: number; rows: number } {
  const count = Math.max(1, participants);
  const columns =
    shape === 'landscape-phone'
      ? count <= 3
        ? count
        : Math.ceil(count / 2)
      : shape === 'portrait'
        ? count <= 3
          ? 1
          : 2
        : count <= 1
          ? 1
          : count <= 4
            ? 2
            : 3;
  return { columns, rows: Math.ceil(count / columns) };
}
