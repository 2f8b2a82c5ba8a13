import type {PackageRef, VerifiedProvenance} from '../provenance.types';

/** What is established about a package the registry has no attestations for: nothing to verify. */
export function unattested(pkg: PackageRef, tarballSha512: string): VerifiedProvenance {
  return {package: pkg, tarballSha512, slsaLevel: 0, unknownPredicateTypes: []};
}
