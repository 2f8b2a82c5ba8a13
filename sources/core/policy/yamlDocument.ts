/**
 * The YAML layer: parse with positions, report syntax problems, and map a data path back to the line
 * and column it came from. Every later check speaks in data paths; only this file knows about nodes.
 */
import {LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument} from 'yaml';
import type {Document, Node, Pair, YAMLError} from 'yaml';

import {formatPath, type Finding, type Segment} from './finding';
import type {PolicyProblem, SourcePosition} from './policy.types';

export type ParsedYaml = {
  /** The data, or `undefined` when the syntax is too broken to trust its structure. */
  data: unknown;
  problems: PolicyProblem[];
  positionOf(path: Segment[], key?: boolean): SourcePosition;
  toProblem(finding: Finding): PolicyProblem;
};

function offsetOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0];
}

function pairFor(map: {items: Array<Pair<unknown, unknown>>}, segment: Segment): Pair<unknown, unknown> | undefined {
  // From the end: with a duplicate key the data keeps the last value, so point at that one.
  for (let index = map.items.length - 1; index >= 0; index--) {
    const pair = map.items[index]!;
    if (isScalar(pair.key) && String(pair.key.value) === String(segment))
      return pair;
  }
  return undefined;
}

/** Offset of the value (or key) at `path`, or of its deepest ancestor present in the document. */
function locate(doc: Document, path: Segment[], key: boolean): number {
  let node: unknown = doc.contents;
  let offset = offsetOf(node) ?? 0;

  for (const [depth, segment] of path.entries()) {
    if (isAlias(node))
      node = node.resolve(doc);
    if (isMap(node)) {
      const pair = pairFor(node, segment);
      if (!pair)
        break;
      if (key && depth === path.length - 1)
        return offsetOf(pair.key) ?? offset;
      node = pair.value;
      offset = offsetOf(pair.value) ?? offsetOf(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === `number` && node.items[segment] !== undefined) {
      node = node.items[segment];
      offset = offsetOf(node) ?? offset;
    } else {
      break;
    }
  }
  return offset;
}

/** The data path of the deepest node containing `offset`, to name where a syntax error is. */
function pathAt(doc: Document, offset: number): Segment[] {
  const contains = (node: unknown): boolean => {
    const range = (node as Node | null)?.range;
    return range != null && range[0] <= offset && offset < Math.max(range[2], range[0] + 1);
  };

  const path: Segment[] = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find(item => contains(item.key) || contains(item.value));
      if (!pair || !isScalar(pair.key))
        return path;
      path.push(String(pair.key.value));
      if (contains(pair.key))
        return path;
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex(item => contains(item));
      if (index < 0)
        return path;
      path.push(index);
      node = node.items[index];
    } else {
      return path;
    }
  }
}

const SYNTAX_MESSAGES: Partial<Record<YAMLError[`code`], string>> = {
  DUPLICATE_KEY: `this key appears more than once in the same mapping`,
  MULTIPLE_DOCS: `a policy file holds a single YAML document`,
};

export function parseYaml(text: string): ParsedYaml {
  const lineCounter = new LineCounter();
  // prettyErrors off: we render positions ourselves, in the same format as every other problem.
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true});

  const positionAt = (offset: number): SourcePosition => {
    const {line, col} = lineCounter.linePos(offset);
    return {line, column: col};
  };
  const positionOf = (path: Segment[], key = false) => positionAt(locate(doc, path, key));
  const toProblem = (finding: Finding): PolicyProblem => ({
    path: formatPath(finding.path),
    message: finding.message,
    ...positionOf(finding.at?.path ?? finding.path, finding.at?.key ?? false),
  });

  const problems = [...doc.errors, ...doc.warnings].map((error): PolicyProblem => ({
    path: formatPath(pathAt(doc, error.pos[0])),
    message: SYNTAX_MESSAGES[error.code] ?? error.message,
    ...positionAt(error.pos[0]),
  }));

  // A duplicate key leaves a well-formed document, so checking its content too reports more in one pass;
  // after any other error the structure is a guess, and checking it would only add confusing noise.
  const structureIntact = doc.errors.every(error => error.code === `DUPLICATE_KEY`);
  let data: unknown;
  if (structureIntact) {
    try {
      data = doc.toJS({maxAliasCount: 100});
    } catch (error) {
      problems.push({path: `(root)`, message: `cannot be read: ${(error as Error).message}`, ...positionAt(0)});
    }
  }

  return {data, problems, positionOf, toProblem};
}
