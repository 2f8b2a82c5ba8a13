import type {PackageSource} from '../pipeline/packageSubject.types';
import type {PackageRef} from '../provenance.types';
import type {LockedSubject} from './lockedSubject.types';

/**
 * Collects a lockfile's packages: one subject per package, source and pinned integrity (two entries of
 * one version with different integrities are two subjects), with every name it is installed under.
 */
export class SubjectList {
  private readonly byId = new Map<string, LockedSubject>();

  add({ref, installedAs, source, integrity, entry}: {ref: PackageRef, installedAs: string, source: PackageSource, integrity?: string, entry?: string}): void {
    const where = source.kind === `registry` ? integrity ?? `` : `${source.kind}:${`location` in source ? source.location : ``}`;
    const id = `${ref.name}@${ref.version}#${where}`;
    let locked = this.byId.get(id);
    if (locked === undefined) {
      locked = {subject: {id, ref, installedAs: [], source, problems: []}, ...(integrity !== undefined ? {integrity} : {}), entries: []};
      this.byId.set(id, locked);
    }
    if (entry !== undefined && !locked.entries.includes(entry))
      locked.entries.push(entry);
    const {subject} = locked;
    if (installedAs !== ref.name && !subject.installedAs.includes(installedAs))
      subject.installedAs = [...subject.installedAs, installedAs].sort();
  }

  list(): Array<LockedSubject> {
    return [...this.byId.values()].sort((a, b) => a.subject.id.localeCompare(b.subject.id));
  }
}
