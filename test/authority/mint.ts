/**
 * One package's attestations, made the way npm publishes them: the CI job signs the provenance with
 * a key certified by Fulcio, the registry signs the publish attestation with its own key, and
 * both signatures go into the transparency log.
 */
import type {AttestationsAnswer, MintOptions} from './authority.types';
import {toBundleJson} from './bundle';
import {signEnvelope} from './dsse';
import {resolveIdentity} from './identity';
import type {RegistryKey} from './registryKey';
import type {SigningIdentities} from './signingIdentities';
import {provenanceStatement, publishStatement} from './statements';
import type {TransparencyLog} from './transparencyLog';

export type Signers = {
  identities: SigningIdentities;
  tlog: TransparencyLog;
  registryKey: RegistryKey;
};

export async function mintAttestations({identities, tlog, registryKey}: Signers, options: MintOptions): Promise<AttestationsAnswer> {
  const mediaType = options.bundleMediaType ?? `v0.2`;
  // npm's v0.2 bundles log `intoto` entries; v0.3 ones (and their v0.2 publish companions) `dsse`.
  const kind = mediaType === `v0.3` ? `dsse` : `intoto`;
  const attestations: AttestationsAnswer[`attestations`] = [];

  // Newer registry answers list the publish attestation first.
  if (options.publish ?? true) {
    const statement = publishStatement(options);
    const envelope = signEnvelope(statement, registryKey.privateKey, registryKey.keyId);
    const tlogEntry = await tlog.record(envelope, {kind, verifier: {publicKey: registryKey.spki}, at: `publish`});
    attestations.push({
      predicateType: statement.predicateType,
      bundle: toBundleJson({mediaType: `v0.2`, envelope, key: {publicKeyHint: registryKey.keyId}, tlogEntry}),
    });
  }

  if (options.provenance ?? true) {
    const identity = resolveIdentity(options.identity);
    const statement = provenanceStatement(options, identity);
    const {privateKey, certificate} = await identities.get(identity, {expired: options.expiredCertificate ?? false});

    const envelope = signEnvelope(statement, privateKey);
    const tlogEntry = await tlog.record(envelope, {kind, verifier: {certificate}, at: `provenance`});
    attestations.push({
      predicateType: statement.predicateType,
      bundle: toBundleJson({mediaType, envelope, key: {certificate}, tlogEntry}),
    });
  }

  return {attestations};
}
