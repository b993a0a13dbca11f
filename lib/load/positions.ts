/**
 * Line and column of an offset in a file. Kept apart from the `yaml` package: a file the fast first pass reads
 * (fast-parse.ts) is located without loading it.
 */
import type { Path, Position } from '../core/types';
import { FastDocument, offsetInDocument } from './fast-parse';

/** Where lines start (the `yaml` package's LineCounter is one). */
export interface Lines {
  readonly lineStarts: ArrayLike<number>;
  /** 1-based line and column; line 0 when `offset` lies before the first recorded line start. */
  linePos(offset: number): { line: number; col: number };
}

/** Lines over recorded line starts, counted as the `yaml` package's LineCounter counts them. */
export class LineStarts implements Lines {
  constructor(readonly lineStarts: ArrayLike<number>) {}

  linePos(offset: number): { line: number; col: number } {
    const starts = this.lineStarts;
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (starts[mid] < offset) low = mid + 1;
      else high = mid;
    }
    if (starts[low] === offset) return { line: low + 1, col: 1 };
    if (low === 0) return { line: 0, col: offset };
    return { line: low, col: offset - starts[low - 1] + 1 };
  }
}

/** The 1-based position of an offset in the file. */
export function positionAt(lines: Lines, offset: number): Position {
  const { line, col } = lines.linePos(offset);
  return line === 0 ? { line: 1, column: offset + 1 } : { line, column: col };
}

/**
 * Lines over the line starts the fast pass recorded (the same figures the `yaml` parser would record), kept as
 * 32-bit integers: a file's line starts live as long as its documents' findings may need them.
 */
export function lineCounter(lineStarts: ArrayLike<number>): Lines {
  return new LineStarts(lineStarts instanceof Int32Array ? lineStarts : Int32Array.from(lineStarts));
}

/** A `locate` function over the positions the fast pass kept: no second parse, no tree held. */
export function fastLocator(doc: FastDocument, lines: Lines): (path: Path) => Position {
  return (path) => positionAt(lines, offsetInDocument(doc, path));
}
