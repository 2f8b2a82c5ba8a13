/**
 * "Did you mean" for keys and enum values. An unknown key is always an error (a typo such as `sorce`
 * would otherwise silently drop a constraint), so the least we owe the user is the likely fix.
 */

/** Optimal string alignment distance: Levenshtein plus swapped neighbours (`soruce`). */
function distance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row: number[] = [];
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        row.push(i + j);
        continue;
      }
      const previous = rows[i - 1]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      row.push(best);
    }
    rows.push(row);
  }
  return rows[a.length]![b.length]!;
}

/** The closest candidate, if it is close enough to be a plausible typo rather than a different word. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lowered = word.toLowerCase();
  const budget = Math.max(1, Math.min(2, Math.floor(word.length / 3)));

  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const current = distance(lowered, candidate.toLowerCase());
    if (current < bestDistance) {
      best = candidate;
      bestDistance = current;
    }
  }
  return bestDistance <= budget ? best : undefined;
}
