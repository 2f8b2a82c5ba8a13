import type {ProvenanceError} from '../errors';
import type {AllowChange} from '../pins/allowChange';
import {NO_OVERRIDE} from '../pins/allowChange';
import {checkContinuity, weakestMode} from '../pins/continuity';
import {NO_PINS} from '../pins/pinsFile';
import type {Pins} from '../pins/pins.types';
import type {Evidence} from '../policy/evaluatePolicy';
import {evaluatePolicy} from '../policy/evaluatePolicy';
import {decide} from '../policy/findRule';
import type {Mode, Policy} from '../policy/policy.types';
import type {PackageRef, Verdict, VerifiedProvenance} from '../provenance.types';
import type {PackageSource, PackageSubject} from './packageSubject.types';

/** Every name a package is installed under: its own first, then its aliases. */
export function namesOf(subject: PackageSubject): Array<PackageRef> {
  return [subject.ref, ...subject.installedAs.map(name => ({name, version: subject.ref.version}))];
}

/** The mode of the rule deciding for each name; a subject is skipped only when every name says `off`. */
export function modesOf(policy: Policy, subject: PackageSubject, now: Date): Array<Mode> {
  return namesOf(subject).map(ref => decide(policy, ref, now).decider.mode);
}

/** What besides the policy judges a package: the pins (continuity) and this run's override of them. */
export type JudgeOptions = {
  pins: Pins;
  allowChange: AllowChange;
};

export const POLICY_ONLY: JudgeOptions = {pins: NO_PINS, allowChange: NO_OVERRIDE};

/**
 * The policy applied to one installed package under every name it is installed as: an alias must
 * satisfy the rules of the name it stands in for and of the package it really is. Then continuity,
 * under the package's real name (pins are keyed by it). The strictest outcome wins (a block, then a
 * warning, then the package's own verdict).
 */
export function evaluateSubject(policy: Policy, subject: PackageSubject, evidence: Evidence | null, now: Date, judge: JudgeOptions = POLICY_ONLY): Verdict {
  const verdicts = namesOf(subject).map(ref => evaluateName(policy, subject, ref, evidence, now));
  const decisive = verdicts.find(verdict => !verdict.allowed) ?? verdicts.find(verdict => verdict.code !== undefined) ?? verdicts[0]!;

  const notes = [...new Set(verdicts.flatMap(verdict => verdict.notes))];
  const origin = describeOrigin(subject.source);
  const verdict: Verdict = {
    ...decisive,
    package: subject.ref,
    notes,
    ...(subject.installedAs.length > 0 ? {installedAs: subject.installedAs} : {}),
    ...(origin !== undefined ? {origin} : {}),
    ...(evidence?.bound !== undefined ? {bound: evidence.bound} : {}),
  };
  const judged = subject.source.kind === `registry` && subject.problems.length === 0 && evidence?.ok === true;
  return judged ? withContinuity(policy, subject, verdict, evidence.provenance, now, judge) : verdict;
}

/**
 * Continuity after the policy: a policy block stays a block (the pin is attached for `explain`); a pass
 * can become a continuity block or warning. An overridden finding passes, and says so.
 */
function withContinuity(policy: Policy, subject: PackageSubject, verdict: Verdict, provenance: VerifiedProvenance, now: Date, judge: JudgeOptions): Verdict {
  const ruleMode = decide(policy, subject.ref, now).decider.mode;
  const result = checkContinuity(judge.pins, policy.continuity, subject.ref, provenance, ruleMode);
  if (result === undefined)
    return verdict;
  const {finding, ...compared} = result;
  const overridden = finding !== undefined && judge.allowChange(subject.ref);
  const continuity = {...compared, ...(finding ? {code: finding.code} : {}), ...(overridden ? {overridden} : {})};
  if (finding === undefined || !verdict.allowed)
    return {...verdict, continuity};

  // A policy warning already speaks for the package: a continuity warning joins it as a note.
  if (finding.mode !== `enforce` && verdict.code !== undefined && !overridden)
    return {...verdict, notes: [...verdict.notes, `${finding.code}: ${finding.message}`], continuity};
  const name = `${subject.ref.name}@${subject.ref.version}`;
  const notes = overridden ? [...verdict.notes, `Provenance continuity OVERRIDDEN for ${name} by PROVENANCE_ALLOW_CHANGE: ${finding.message}`] : verdict.notes;
  // Overridden, it passes for this run as a warning would: reported, and never recorded as a pin.
  const mode = overridden ? weakestMode(finding.mode, `warn`) : finding.mode;
  return {
    ...verdict,
    status: `violation`, code: finding.code, message: finding.message, expected: finding.expected, found: finding.found,
    allowed: mode !== `enforce`, mode, notes,
    rule: `continuity.${finding.check}${result.sameLine ? `` : ` (newLine)`}, pin ${result.key} in ${judge.pins.origin}`,
    continuity,
  };
}

function evaluateName(policy: Policy, subject: PackageSubject, ref: PackageRef, evidence: Evidence | null, now: Date): Verdict {
  const {decider, base} = decide(policy, ref, now);
  const aliasNote = ref.name === subject.ref.name ? `` : ` (installed as ${ref.name})`;

  const problem: ProvenanceError | undefined = subject.problems[0];
  if (problem !== undefined) {
    return {
      ...base, status: `invalid`, code: problem.code, allowed: decider.mode !== `enforce`,
      message: problem.mismatch?.what ?? problem.message, expected: problem.mismatch?.expected, found: problem.mismatch?.found,
    };
  }

  const {source} = subject;
  switch (source.kind) {
    case `project`:
      return {...base, status: `project`, allowed: true, mode: `off`, rule: `-`, notes: []};
    case `patch`:
      // Its unpatched source is judged on its own, under this package's names too.
      return {...base, status: `patched`, allowed: true};
    case `unattestable`: {
      const notes = source.ranCodeBeforeGate ? [...base.notes, source.ranCodeBeforeGate] : base.notes;
      if (decider.require !== `provenance`)
        return {...base, status: `unattestable`, allowed: true, notes};
      return {
        ...base, notes, status: `unattestable`, code: `SOURCE_UNATTESTABLE`, allowed: decider.mode !== `enforce`,
        message: `Installed from ${describeOrigin(source)}, which cannot carry npm provenance, and ${base.rule} requires provenance${aliasNote}. To allow it, add a rule for this package with \`require: none\` and a \`reason\``,
        expected: `an npm registry package with provenance`,
        found: describeOrigin(source),
      };
    }
    case `registry`: {
      if (evidence === null)
        throw new Error(`Assertion failed: a registry package is evaluated with its evidence`);
      const verdict = evaluatePolicy(policy, ref, evidence, now);
      return aliasNote && verdict.message ? {...verdict, message: `${verdict.message}${aliasNote}`} : verdict;
    }
  }
}

function describeOrigin(source: PackageSource): string | undefined {
  switch (source.kind) {
    case `registry`:
      return undefined;
    case `unattestable`:
      return `${source.protocol === `tarball` ? `tarball URL` : source.protocol} ${source.location}`;
    case `patch`:
      return `patch of ${source.of}`;
    case `project`:
      return `project ${source.location}`;
  }
}
