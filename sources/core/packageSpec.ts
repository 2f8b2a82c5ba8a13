import semver from 'semver';

import {ProvenanceError} from './errors';
import type {PackageRef} from './provenance.types';

/** `name@1.2.3` or `@scope/name@1.2.3`, with an exact version: provenance is per version. */
export function parsePackageSpec(spec: string): PackageRef {
  const at = spec.lastIndexOf(`@`);
  const name = at > 0 ? spec.slice(0, at) : ``;
  const version = at > 0 ? spec.slice(at + 1) : ``;

  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name) || semver.valid(version) === null) {
    throw new ProvenanceError({
      code: `USAGE_INVALID`,
      message: `"${spec}" is not <name>@<exact version> (for example sigstore@2.3.1 or @sigstore/bundle@2.3.2)`,
    });
  }

  return {name, version};
}
