/**
 * A test-only Sigstore authority: attestations that the production verifier accepts once it is
 * given this authority's trusted root and registry keys, as a private Sigstore deployment would be
 * used. Nothing in sources/ knows about it.
 */
export type {AttestationsAnswer, BuildIdentity, MintOptions, TestAuthority} from './authority.types';
export {createTestAuthority} from './createTestAuthority';
