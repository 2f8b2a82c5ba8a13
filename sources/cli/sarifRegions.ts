import type {EntryPosition} from '../core/lockfiles/entryPositions';
import type {Verdict} from '../core/provenance.types';

export type LocatedVerdict = {verdict: Verdict, entry: EntryPosition | undefined};

type SarifResult = {locations?: Array<{physicalLocation?: Record<string, unknown>, logicalLocations?: Array<{name?: string}>}>};

/**
 * Places each finding of a SARIF log made by toSarif at its package's entry in package-lock.json or
 * pnpm-lock.yaml (toSarif places findings in yarn.lock itself, and has one result per verdict with a code, in
 * order). A result whose package is not the verdict's expected there is left without a region.
 */
export function placeInLockfile(sarif: object, located: ReadonlyArray<LocatedVerdict>): object {
  const results = (sarif as {runs: Array<{results: Array<SarifResult>}>}).runs[0]!.results;
  const findings = located.filter(({verdict}) => verdict.code !== undefined);
  results.forEach((result, index) => {
    const finding = findings[index];
    const location = result.locations?.[0];
    if (finding?.entry === undefined || location?.physicalLocation === undefined)
      return;
    if (location.logicalLocations?.[0]?.name !== `${finding.verdict.package.name}@${finding.verdict.package.version}`)
      return;
    const {line, column, length} = finding.entry;
    location.physicalLocation.region = {startLine: line, startColumn: column, endLine: line, endColumn: column + length};
  });
  return sarif;
}
