/**
 * `yarn provenance init` without the I/O: from the audit's verdicts to the text of `.provenance.yml`
 * and `.provenance.lock`. Before returning, the policy it wrote is parsed and applied to the same
 * evidence, as the next install will apply it: a policy that would block its own project is a bug
 * here, never something to hand to the user.
 */
import {serializePins} from '../pins/pinsFile';
import {recordPins} from '../pins/recordPins';
import type {Pin, PinKey} from '../pins/pins.types';
import {evaluatePolicy} from '../policy/evaluatePolicy';
import {decide} from '../policy/findRule';
import {parsePolicy} from '../policy/parsePolicy';
import type {Policy} from '../policy/policy.types';
import type {Verdict} from '../provenance.types';
import {groupRules} from './groupRules';
import {toInitInput} from './initPackages';
import {policyText} from './policyText';
import type {PresetName} from './presets';
import {PRESETS} from './presets';

export type InitSummary = {
  packages: number;
  attested: number;
  rules: number;
  unattested: number;
  unattestable: number;
  /** Release lines pinned for the first time (pins already in the file are kept). */
  pinsAdded: number;
};

export type InitOutcome =
  | {ok: true, policyText: string, pinsText: string, summary: InitSummary}
  /** Some packages could not be verified (or failed verification): nothing is written. */
  | {ok: false, unsettled: Array<Verdict>};

export type InitInputs = {
  verdicts: ReadonlyArray<Verdict>;
  preset: PresetName;
  /** The pins already in the project (kept: init never removes or changes a pin). */
  pins: ReadonlyMap<PinKey, Pin>;
  /** Where the policy will be written, for messages. */
  policyOrigin: string;
  now: Date;
};

export function initProject({verdicts, preset, pins, policyOrigin, now}: InitInputs): InitOutcome {
  const {packages, unsettled} = toInitInput(verdicts);
  if (unsettled.length > 0)
    return {ok: false, unsettled};

  const grouping = groupRules(packages);
  const text = policyText({preset, settings: PRESETS[preset], grouping, day: now.toISOString().slice(0, 10), packageCount: packages.length});
  const policy = parsePolicy(text, policyOrigin);
  const judged = judgedUnder(policy, verdicts, now);
  const recorded = recordPins(pins, judged);

  return {
    ok: true,
    policyText: text,
    pinsText: serializePins(recorded.entries),
    summary: {
      packages: packages.length,
      attested: packages.filter(pkg => pkg.kind === `attested`).length,
      rules: grouping.rules.length,
      unattested: grouping.unattested.length,
      unattestable: grouping.unattestable.length,
      pinsAdded: recorded.added.length,
    },
  };
}

/** Every package's evidence under the new policy, under each name it is installed as; throws if one would block. */
function judgedUnder(policy: Policy, verdicts: ReadonlyArray<Verdict>, now: Date): Array<Verdict> {
  const judged: Array<Verdict> = [];
  for (const verdict of verdicts) {
    const names = [verdict.package.name, ...verdict.installedAs ?? []];
    const refs = names.map(name => ({name, version: verdict.package.version}));
    if (verdict.status === `unattestable`) {
      const blocking = refs.find(ref => decide(policy, ref, now).decider.require === `provenance` && decide(policy, ref, now).decider.mode === `enforce`);
      if (blocking !== undefined)
        throw new Error(`Assertion failed: the generated policy blocks ${blocking.name}@${blocking.version} (unattestable)`);
      continue;
    }
    const provenance = verdict.provenance;
    if (provenance === undefined)
      continue;
    const underNames = refs.map(ref => evaluatePolicy(policy, ref, {ok: true, provenance}, now));
    const blocked = underNames.find(result => !result.allowed);
    if (blocked !== undefined)
      throw new Error(`Assertion failed: the generated policy blocks ${blocked.package.name}@${blocked.package.version} (${blocked.code})`);
    judged.push({...underNames[0]!, package: verdict.package});
  }
  return judged;
}
