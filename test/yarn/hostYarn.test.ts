import {describe, expect, it} from 'vitest';

import {unsupportedYarnReason} from '../../sources/yarn/hostYarn';

describe(`the host Yarn check`, () => {
  it(`accepts the Yarn 4 versions from 4.1.0 on`, () => {
    for (const version of [`4.1.0`, `4.9.2`, `4.18.1`, `4.20.0-rc.1`])
      expect(unsupportedYarnReason(version), version).toBeNull();
  });

  it(`refuses Yarn 3, Yarn 4.0 and a Yarn 5 it was never tried on, naming the code and the supported range`, () => {
    for (const version of [`3.8.7`, `4.0.2`, `5.0.0`, `1.22.22`, `not a version`]) {
      const reason = unsupportedYarnReason(version);
      expect(reason, version).toContain(`YARN_UNSUPPORTED`);
      expect(reason, version).toContain(`>=4.1.0 <5.0.0`);
    }
  });

  it(`leaves a Yarn that names no version (built from sources) to the install gate's own checks`, () => {
    expect(unsupportedYarnReason(null)).toBeNull();
  });
});
