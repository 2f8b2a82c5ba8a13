import {describe, expect, it} from 'vitest';

import {pinIdentityOf} from '../../../sources/core/pins/pinIdentity';
import {parsePins, serializePins} from '../../../sources/core/pins/pinsFile';
import {recordPins} from '../../../sources/core/pins/recordPins';
import {compareLines, pinKey, releaseLine} from '../../../sources/core/pins/releaseLine';
import type {Pin} from '../../../sources/core/pins/pins.types';
import type {Verdict, VerifiedProvenance} from '../../../sources/core/provenance.types';
import {loadFixture} from '../../helpers/fixtures';
import {rejectionCode, verifyJson} from '../../helpers/verifier';

async function verified(id: string): Promise<VerifiedProvenance> {
  const fixture = loadFixture(id);
  return verifyJson(fixture.pkg, fixture.attestationsJson, fixture.tarballSha512);
}

function passed(provenance: VerifiedProvenance): Verdict {
  return {package: provenance.package, status: `verified`, allowed: true, mode: `enforce`, rule: `default`, notes: [], provenance};
}

const PIN: Pin = {
  source: `github.com/sigstore/sigstore-js`, workflow: `.github/workflows/release.yml`, builder: `github-actions`, runner: `hosted`,
  issuer: `https://token.actions.githubusercontent.com`, publishAttestation: true, trustedPublisher: false, staged: false, since: `1.3.0`,
};

describe(`release lines`, () => {
  it(`are the major, or the minor below 1.0.0, prereleases included`, () => {
    expect([`1.3.0`, `2.0.0-beta.1`, `0.4.0`, `0.0.3`, `not-semver`].map(releaseLine)).toEqual([`1`, `2`, `0.4`, `0.0`, `not-semver`]);
    expect(pinKey(`@scope/pkg`, `3.1.4`)).toBe(`@scope/pkg@3`);
  });

  it(`sort numerically`, () => {
    expect([`10`, `1`, `0.10`, `0.9`, `2`].sort(compareLines)).toEqual([`0.9`, `0.10`, `1`, `2`, `10`]);
  });
});

describe(`the pins file`, () => {
  it(`round-trips byte for byte, sorted by name then line`, () => {
    const entries = new Map([[`sigstore@10`, {...PIN, since: `10.0.0`}], [`sigstore@2`, {...PIN, since: `2.0.0`}], [`@a/b@0.9`, {...PIN, since: `0.9.1`}]]);
    const text = serializePins(entries);
    expect([...parsePins(text, `x`).entries.keys()]).toEqual([`@a/b@0.9`, `sigstore@2`, `sigstore@10`]);
    expect(serializePins(parsePins(text, `x`).entries)).toBe(text);
    expect(parsePins(text, `x`).digest).toBe(parsePins(serializePins(new Map([...entries].reverse())), `y`).digest);
  });

  it(`is refused whole when it has a field the format does not know`, async () => {
    const text = serializePins(new Map([[`sigstore@1`, PIN]])).replace(`since: 1.3.0`, `since: 1.3.0\n    mode: off`);
    expect(await rejectionCode(() => parsePins(text, `x`))).toBe(`PINS_INVALID`);
  });

  it(`refuses an entry filed under another line than its own version`, async () => {
    const text = serializePins(new Map([[`sigstore@1`, PIN]])).replace(`sigstore@1:`, `sigstore@2:`);
    expect(await rejectionCode(() => parsePins(text, `x`))).toBe(`PINS_INVALID`);
  });

  it(`refuses YAML that is not a pins file`, async () => {
    expect(await rejectionCode(() => parsePins(`version: 2\n`, `x`))).toBe(`PINS_INVALID`);
    expect(await rejectionCode(() => parsePins(`a: [`, `x`))).toBe(`PINS_INVALID`);
    expect(parsePins(``, `x`).entries.size).toBe(0);
  });
});

describe(`recording pins`, () => {
  it(`pins a new line from the installed version and leaves an unchanged identity untouched`, async () => {
    const first = recordPins(new Map(), [passed(await verified(`sigstore@1.3.0`))]);
    expect(first.added).toEqual([`sigstore@1`]);
    expect(first.entries.get(`sigstore@1`)).toMatchObject({source: `github.com/sigstore/sigstore-js`, builder: `github-actions`, runner: `hosted`, since: `1.3.0`, publishAttestation: true});

    const bumped = {...first.entries.get(`sigstore@1`)!, since: `1.2.0`};
    const again = recordPins(new Map([[`sigstore@1`, bumped]]), [passed(await verified(`sigstore@1.3.0`))]);
    expect(again.added).toEqual([]);
    expect(again.strengthened).toEqual([]);
    expect(again.entries.get(`sigstore@1`)).toBe(bumped);
  });

  it(`ratchets a runner the old certificate did not name up to hosted, keeping the first version`, async () => {
    const old = recordPins(new Map(), [passed(await verified(`sigstore@1.0.0`))]).entries.get(`sigstore@1`)!;
    expect(old.runner).toBe(`unknown`);
    const later = recordPins(new Map([[`sigstore@1`, {...old, workflow: `.github/workflows/release.yml`}]]), [passed(await verified(`sigstore@1.3.0`))]);
    expect(later.strengthened).toEqual([`sigstore@1`]);
    expect(later.entries.get(`sigstore@1`)).toMatchObject({runner: `hosted`, since: `1.0.0`});
  });

  it(`records nothing for a verdict that did not pass cleanly, or has no provenance`, async () => {
    const warned: Verdict = {...passed(await verified(`sigstore@1.3.0`)), status: `violation`, code: `SOURCE_REPO_CHANGED`};
    expect(recordPins(new Map(), [warned, passed(await verified(`sigstore@1.8.0`))]).added).toEqual([]);
  });
});

describe(`pinned identity across npm's predicate generations (real attestations)`, () => {
  it(`is the same platform, repository and issuer for gha@v0, gha/v2 and SLSA v1`, async () => {
    const [v0, v2, v1] = await Promise.all([`sigstore@1.0.0`, `sigstore@1.3.0`, `sigstore@2.3.1`].map(async id => pinIdentityOf(await verified(id))!));
    for (const identity of [v0, v2, v1])
      expect(identity).toMatchObject({source: `github.com/sigstore/sigstore-js`, builder: `github-actions`, issuer: `https://token.actions.githubusercontent.com`, publishAttestation: true});
    // gha/v2 and SLSA v1 agree entirely; the gha@v0 certificate predates the runner extension, and
    // sigstore-js really did publish 1.0.0 from publish.yml and later versions from release.yml.
    expect(v1).toEqual(v2);
    expect(v0).toMatchObject({runner: `unknown`, workflow: `.github/workflows/publish.yml`});
    expect(v2).toMatchObject({runner: `hosted`, workflow: `.github/workflows/release.yml`});
  });

  it(`pins the isolated builder as such`, async () => {
    expect(pinIdentityOf(await verified(`@laurentsimon__provenance-npm-test@1.0.5`))!.builder).toBe(`slsa-github-generator`);
  });
});
