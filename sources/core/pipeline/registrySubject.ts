import type {PackageRef} from '../provenance.types';
import type {PackageSubject} from './packageSubject.types';

/** A subject for one npm package by name and version, as `verify` checks it. */
export function registrySubject(ref: PackageRef, registry: string): PackageSubject {
  return {id: `${ref.name}@${ref.version}`, ref, installedAs: [], source: {kind: `registry`, registry}, problems: []};
}
