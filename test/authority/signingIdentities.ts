/**
 * A CI job's signing identity: a key pair and the Fulcio leaf that certifies it. sigstore-js makes a
 * fresh one for every signing; here one is made per distinct identity and then reused. Issuing a
 * leaf (precertificate, SCT, certificate) is most of what a mint costs, and no check a verifier makes
 * ties a leaf to a single package: each bundle still has its own signature and log entry.
 */
import {generateKeyPairSync} from 'node:crypto';
import type {KeyObject} from 'node:crypto';

import type {CertificateAuthority} from './certificateAuthority';
import {toLeafIdentity} from './fulcioExtensions';
import type {ResolvedIdentity} from './identity';

export type SigningIdentity = {
  privateKey: KeyObject;
  /** DER leaf certificate. */
  certificate: Buffer;
};

export type SigningIdentities = {
  get(identity: ResolvedIdentity, options: {expired: boolean}): Promise<SigningIdentity>;
};

export function createSigningIdentities(ca: CertificateAuthority): SigningIdentities {
  // Shared promises: concurrent mints for one identity wait for the same leaf.
  const issued = new Map<string, Promise<SigningIdentity>>();

  return {
    get(identity, {expired}) {
      const leaf = toLeafIdentity(identity);
      // Keyed by everything the certificate states, so a reused leaf says exactly what a fresh one would.
      const key = JSON.stringify([expired, leaf.subjectAlternativeName, leaf.extensions.map(({oid, value}) => [oid, value.toString(`base64`)])]);
      let found = issued.get(key);
      if (found === undefined) {
        found = issue(ca, leaf, expired);
        issued.set(key, found);
        found.catch(() => issued.delete(key));
      }
      return found;
    },
  };
}

async function issue(ca: CertificateAuthority, leaf: ReturnType<typeof toLeafIdentity>, expired: boolean): Promise<SigningIdentity> {
  const {privateKey, publicKey} = generateKeyPairSync(`ec`, {namedCurve: `P-256`});
  const certificate = await ca.issueLeaf({publicKey: publicKey.export({type: `spki`, format: `der`}), ...leaf, expired});
  return {privateKey, certificate};
}
