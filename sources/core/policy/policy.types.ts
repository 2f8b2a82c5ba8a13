/**
 * The policy file, after validation. The YAML contract (version 1) is documented in README.md and
 * policies/policy.schema.json; these types are what the rest of the core sees.
 */

import type {SlsaLevel} from '../provenance.types';

export type Mode = `enforce` | `warn` | `off`;
export type Requirement = `none` | `provenance`;
/** `hosted` accepts any platform-hosted runner (github-hosted, gitlab-hosted). */
export type RunnerRequirement = `github-hosted` | `gitlab-hosted` | `hosted` | `self-hosted` | `any`;

/** Where a value came from in the policy file, for messages. */
export type SourcePosition = {
  line: number;
  column: number;
};

export type Rule = {
  /** 0-based position in `rules`. */
  index: number;
  position?: SourcePosition;
  /** Package name globs (`*` also crosses the scope's `/`). */
  packages: string[];
  /** Semver range; prereleases included. */
  versions?: string;
  /** Repositories, normalised without scheme: `github.com/owner/repo`; a whole segment may be `*`. */
  source?: string[];
  ref?: string[];
  workflow?: string[];
  builder?: string[];
  runner?: RunnerRequirement;
  issuer?: string[];
  /** The lowest SLSA Build level the evidence must show; absent: the default's, if any. */
  level?: SlsaLevel;
  require: Requirement;
  mode: Mode;
  reason?: string;
  /** `YYYY-MM-DD`: from the start of this day (UTC) the rule no longer applies. */
  expires?: string;
};

/** Continuity checks against the pins file, each with its own mode (README, Provenance pins). */
export type ContinuityCheck = `provenance` | `source` | `workflow` | `runner` | `publisher`;
export type Continuity = Record<ContinuityCheck, Mode> & {
  /**
   * A release line with no pin of its own is compared with the pin of the nearest lower line of the
   * same package (the previous major, say); this is the mode of what that comparison finds.
   */
  newLine: Mode;
};

export const DEFAULT_CONTINUITY: Continuity = {
  provenance: `enforce`, source: `enforce`, workflow: `enforce`, runner: `enforce`, publisher: `enforce`, newLine: `warn`,
};

/** Registry signatures (`dist.signatures`): a bad one is always `invalid`; this is what a missing one does. */
export type SignaturesSetting = {missing: Mode};
export const DEFAULT_SIGNATURES: SignaturesSetting = {missing: `warn`};

export type Policy = {
  version: 1;
  default: {
    require: Requirement;
    mode: Mode;
    level?: SlsaLevel;
  };
  rules: Rule[];
  continuity: Continuity;
  signatures: SignaturesSetting;
  /** sha256 hex of the policy's canonical JSON, part of every verdict cache key. */
  digest: string;
  /** Where it was read from, for messages (`<built-in>` for the default policy). */
  origin: string;
};

/** One problem found while validating a policy; all of them are reported at once. */
export type PolicyProblem = {
  /** JSON-pointer-like path, e.g. `rules[2].source`. */
  path: string;
  message: string;
  line?: number;
  column?: number;
};
