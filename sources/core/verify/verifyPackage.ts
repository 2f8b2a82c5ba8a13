import {bundleFromJSON, isBundleWithPublicKey} from '@sigstore/bundle';
import type {Bundle} from '@sigstore/bundle';
import {toSignedEntity, Verifier} from '@sigstore/verify';
import type {SignedEntity} from '@sigstore/verify';

import {parseAttestations} from '../attestations/parseAttestations';
import {mismatch, ProvenanceError} from '../errors';
import type {AttestationEntry, AttestationSet, PackageRef, VerifiedProvenance} from '../provenance.types';
import type {Trust} from '../trust/loadTrust';
import {checkCertificateEncoding} from './certificateEncoding';
import {readCertificateIdentity} from './certificateIdentity';
import {checkClaimsAgreeWithCertificate} from './crossCheck';
import {readProvenanceClaims} from './provenanceClaims';
import {installSigstoreAcceleration} from './sigstoreAcceleration';
import {toSlsaLevel} from './slsaLevel';
import {checkSubject, toStatement} from './statement';
import type {Statement} from './statement';
import {unattested} from './unattested';
import type {VerifyBody} from './verifyBody.types';

const IN_TOTO_PAYLOAD_TYPE = `application/vnd.in-toto+json`;

export type VerifyInput = {
  package: PackageRef;
  attestations: AttestationSet;
  /** sha512 hex of the tarball bytes that will be installed. */
  tarballSha512: string;
};

export type PackageVerifier = {
  verify(input: VerifyInput): VerifiedProvenance;
};

/** Builds the Sigstore verifier once; every package of a run reuses it. */
export function createPackageVerifier(trust: Trust): PackageVerifier {
  installSigstoreAcceleration();
  const verifier = new Verifier(trust.material, {tlogThreshold: 1, ctlogThreshold: 1});

  return {
    verify({package: pkg, attestations, tarballSha512}) {
      const result: VerifiedProvenance = {package: pkg, tarballSha512, slsaLevel: 0, unknownPredicateTypes: attestations.unknownPredicateTypes};

      if (attestations.publish !== undefined) {
        const {bundle, statement} = verifyEntry(verifier, attestations.publish, `publish`, pkg, tarballSha512);
        checkPublishPredicate(statement, pkg);
        result.publish = {keyId: publicKeyHint(bundle), integratedTime: integratedTime(bundle)};
      }

      if (attestations.provenance !== undefined) {
        const {bundle, statement, entity} = verifyEntry(verifier, attestations.provenance, `provenance`, pkg, tarballSha512);
        if (entity.key.$case !== `certificate`)
          throw new ProvenanceError({code: `SIGNATURE_INVALID`, message: `The provenance is not signed by a Fulcio certificate`});

        const identity = readCertificateIdentity(entity.key.certificate);
        const claims = readProvenanceClaims(statement.predicateType, statement.predicate);
        checkClaimsAgreeWithCertificate(claims, identity);
        result.provenance = {claims, identity, integratedTime: integratedTime(bundle), ...logIndexOf(bundle)};
      }

      result.slsaLevel = toSlsaLevel(result.provenance);
      return result;
    },
  };
}

/**
 * The checklist for one bundle. Each step returns early, and each reads only what an earlier step
 * verified: the payload is decoded only after its signature checked out.
 */
function verifyEntry(verifier: Verifier, entry: AttestationEntry, kind: `provenance` | `publish`, pkg: PackageRef, tarballSha512: string) {
  // 1. The bundle parses as a Sigstore bundle (v0.1, v0.2 or v0.3).
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(entry.bundle);
  } catch (cause) {
    throw new ProvenanceError({code: `BUNDLE_MALFORMED`, message: `The ${kind} bundle is not a valid Sigstore bundle: ${(cause as Error).message}`, cause});
  }

  // 2. It wraps an in-toto statement in DSSE, signed the way npm signs that kind of attestation:
  //    provenance by a Fulcio certificate, publish attestations by the registry's key.
  if (bundle.content.$case !== `dsseEnvelope` || bundle.content.dsseEnvelope.payloadType !== IN_TOTO_PAYLOAD_TYPE)
    throw new ProvenanceError({code: `BUNDLE_MALFORMED`, message: `The ${kind} bundle does not hold an in-toto DSSE envelope`});
  if (isBundleWithPublicKey(bundle) !== (kind === `publish`))
    throw new ProvenanceError({code: `SIGNATURE_INVALID`, message: `The ${kind} attestation is signed with the wrong kind of key`});

  // 3. Its certificate and RFC 3161 timestamps parse as DER. sigstore-js parses them here, before any
  //    check, and throws plain errors on bad DER: bytes an attacker chose, not a fault of the verifier.
  //    The certificate's envelope, which its signature does not cover, must be exactly as issued.
  let entity: SignedEntity;
  try {
    entity = toSignedEntity(bundle);
    const certificate = leafCertificateDer(bundle);
    if (certificate !== undefined)
      checkCertificateEncoding(certificate);
  } catch (cause) {
    throw new ProvenanceError({code: `BUNDLE_MALFORMED`, message: `The ${kind} bundle's certificate or timestamp is not valid DER: ${(cause as Error).message}`, cause});
  }

  // 4. Sigstore: signature, transparency-log entry (inclusion, body), certificate chain to Fulcio at
  //    log time, SCT; or the registry key valid at log time. Bad DER met in here (an SCT, a signature)
  //    fails verification like any other forgery.
  try {
    verifier.verify(entity);
  } catch (cause) {
    const sigstoreCode = (cause as {code?: string}).code ?? `ERROR`;
    throw new ProvenanceError({code: `SIGNATURE_INVALID`, message: `The ${kind} attestation's signature does not verify (${sigstoreCode}: ${(cause as Error).message})`, cause});
  }

  // --- From here on the payload is authentic. ---

  // 5. It is an in-toto statement of the predicate type the registry listed it under.
  const statement = toStatement(bundle.content.dsseEnvelope.payload);
  if (statement.predicateType !== entry.predicateType)
    throw mismatch(`PREDICATE_TYPE_MISMATCH`, `The signed predicate type differs from the one the registry listed`, entry.predicateType, statement.predicateType);

  // 6. It is about this package, this version and these tarball bytes.
  checkSubject(statement, pkg, tarballSha512);

  return {bundle, statement, entity};
}

function checkPublishPredicate(statement: Statement, pkg: PackageRef): void {
  const predicate = statement.predicate as {name?: unknown, version?: unknown} | undefined;
  if (predicate?.name !== pkg.name || predicate?.version !== pkg.version) {
    throw mismatch(`PUBLISH_PREDICATE_MISMATCH`, `The publish attestation names another package`,
      `${pkg.name}@${pkg.version}`, `${String(predicate?.name)}@${String(predicate?.version)}`);
  }
}

/** The signing certificate as the bundle holds it (sigstore-js reads only the first of a chain). */
function leafCertificateDer(bundle: Bundle): Buffer | undefined {
  const material = bundle.verificationMaterial.content;
  switch (material.$case) {
    case `x509CertificateChain`: return material.x509CertificateChain.certificates[0]?.rawBytes;
    case `certificate`: return material.certificate.rawBytes;
    default: return undefined;
  }
}

function publicKeyHint(bundle: Bundle): string {
  return bundle.verificationMaterial.content.$case === `publicKey` ? bundle.verificationMaterial.content.publicKey.hint : ``;
}

/** The Rekor log index of the entry, for a link to it (`explain`); the verifier checked the entry itself. */
function logIndexOf(bundle: Bundle): {logIndex?: string} {
  const index = bundle.verificationMaterial.tlogEntries[0]?.logIndex;
  return index !== undefined && /^\d+$/.test(String(index)) ? {logIndex: String(index)} : {};
}

function integratedTime(bundle: Bundle): Date | undefined {
  const seconds = Number(bundle.verificationMaterial.tlogEntries[0]?.integratedTime);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : undefined;
}

/** The in-thread VerifyBody, for the CLI (one package; a worker would only add start-up time). */
export function inThreadVerifier(verifier: PackageVerifier): VerifyBody {
  return async ({package: pkg, attestations, tarballSha512}) => {
    if (attestations === null)
      return unattested(pkg, tarballSha512);
    return verifier.verify({package: pkg, attestations: parseAttestations(attestations), tarballSha512});
  };
}
