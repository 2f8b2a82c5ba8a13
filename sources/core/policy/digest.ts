/**
 * The policy digest is part of every verdict cache key: it must change when what the policy decides
 * changes, and only then. So it hashes the normalised policy, not the file: comments, key order,
 * spelled-out defaults, line numbers and the file's location do not count.
 */
import {createHash} from 'node:crypto';

import type {Policy} from './policy.types';

/** JSON with keys sorted at every level and `undefined` fields left out. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map(item => canonicalJson(item === undefined ? null : item)).join(`,`)}]`;
  if (typeof value === `object` && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(`,`)}}`;
  }
  return JSON.stringify(value);
}

export function policyDigest(policy: Omit<Policy, `digest`>): string {
  const semantic = {
    version: policy.version,
    default: policy.default,
    // Positions move with every comment; the index is the rule's place in this list anyway.
    rules: policy.rules.map(({position, index, ...rule}) => rule),
    continuity: policy.continuity,
    signatures: policy.signatures,
  };
  return createHash(`sha256`).update(canonicalJson(semantic)).digest(`hex`);
}
