import {policyDigest} from './digest';
import {DEFAULT_CONTINUITY, DEFAULT_SIGNATURES} from './policy.types';
import type {Policy} from './policy.types';

const base: Omit<Policy, `digest`> = {
  version: 1,
  default: {require: `none`, mode: `enforce`},
  rules: [],
  continuity: DEFAULT_CONTINUITY,
  signatures: DEFAULT_SIGNATURES,
  origin: `<built-in>`,
};

/**
 * What applies when the project has no policy file: nothing required, but provenance that is
 * present is verified and a forgery blocks. Kept apart from the parser so that using it loads no
 * YAML or schema code.
 */
export const DEFAULT_POLICY: Policy = {...base, digest: policyDigest(base)};
