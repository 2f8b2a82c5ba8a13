import {policyDigest} from './digest';
import type {Policy} from './policy.types';

const base: Omit<Policy, `digest`> = {
  version: 1,
  default: {require: `none`, mode: `enforce`},
  rules: [],
  origin: `<built-in>`,
};

/**
 * What applies when the project has no policy file: nothing required, but provenance that is
 * present is verified and a forgery blocks. Kept apart from the parser so that using it loads no
 * YAML or schema code.
 */
export const DEFAULT_POLICY: Policy = {...base, digest: policyDigest(base)};
