/**
 * Where each rule of a policy file starts and ends, so that a report can say which lines to delete.
 * Apart from ruleUsage.ts so that installs, which only need expiry dates, never load the YAML parser for it.
 */
import {isMap, isSeq, LineCounter, parseDocument} from 'yaml';

/** First and last line of a rule in the policy file (1-based, inclusive). */
export type LineSpan = {first: number, last: number};

/** Each rule's lines, by index; empty when the text cannot be read as a policy with a list of rules. */
export function ruleLineSpans(text: string): Array<LineSpan> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {lineCounter});
  const rules = isMap(doc.contents) ? doc.contents.get(`rules`, true) : undefined;
  if (!isSeq(rules))
    return [];
  return rules.items.map(item => {
    const [start, valueEnd] = (item as {range?: [number, number, number]}).range ?? [0, 0, 0];
    const first = lineCounter.linePos(start).line;
    // A block mapping's range ends after its last newline: that position is the next line's first column.
    const end = lineCounter.linePos(valueEnd);
    return {first, last: Math.max(first, end.col === 1 ? end.line - 1 : end.line)};
  });
}
