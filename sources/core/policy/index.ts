export type {Mode, Policy, PolicyProblem, Requirement, Rule, RunnerRequirement, SourcePosition} from './policy.types';
export {DEFAULT_POLICY, loadPolicyFile, parsePolicy} from './parsePolicy';
export {PolicyInvalidError, formatProblem} from './policyError';
export {findRule, expiryInstant, type RuleMatch} from './findRule';
export {matchesGlob, matchesAnyGlob} from './glob';
export {normaliseSource, repoMatches} from './source';
