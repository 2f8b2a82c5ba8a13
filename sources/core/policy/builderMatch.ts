/**
 * The `builder` constraint (and `--builder-id`), judged from the certificate the way slsa-verifier's
 * `verify-npm-package --builder-id` judges it. The predicate's builder id is written by the workflow
 * being judged, so it never decides alone: it only has to agree with what the certificate shows.
 *
 * Builder ids the certificate can confirm:
 * - `https://github.com/actions/runner/github-hosted` or `…/self-hosted`: npm published from a GitHub
 *   Actions workflow (any of npm's three predicate generations), on the runner the certificate records
 *   (RunnerEnvironment). `https://github.com/actions/runner`, npm's gha/v2 id, reads as github-hosted.
 *   Certificates from before about March 2023 record no runner, so they confirm none of these.
 * - A reusable workflow that signed (BuildSignerURI), with its ref, when the predicate agrees:
 *   `https://github.com/o/r/.github/workflows/x.yml@refs/tags/v1.0.0`; for slsa-github-generator's
 *   delegators also the builder that called them, as the predicate names it.
 * - On GitLab, which certifies no runner id: the predicate's `<project>/-/runners/<id>`, only within
 *   the certificate's project (so it says nothing the certificate does not; use `runner:` for hosting).
 *
 * A pattern without `@ref` matches any ref of the builders it names; with one, the ref must match too.
 */
import type {CertificateIdentity, ProvenanceClaims} from '../provenance.types';
import {toBuildSigner} from '../verify/buildSigner';
import {delegatedBuilder} from '../verify/isolatedBuilders';
import {matchesGlob} from './glob';

const GITHUB_ISSUER = `https://token.actions.githubusercontent.com`;
const GITHUB_RUNNER = `https://github.com/actions/runner`;
/** What npm writes as builder id on GitHub Actions: gha@v0/v1, gha/v2, SLSA v1. */
const NPM_GITHUB_BUILDER = /^https:\/\/github\.com\/(npm\/cli@[^/]+|actions\/runner(\/(github-hosted|self-hosted))?)$/;
const CERTIFIED_RUNNERS: ReadonlySet<string> = new Set([`github-hosted`, `self-hosted`]);
const UNCONFIRMED = `the predicate's builder is not one the certificate confirms`;

type Evidence = {claims: ProvenanceClaims, identity: CertificateIdentity};

export type CertifiedBuilders = {
  ids: Array<string>;
  /** Why the certificate confirms no builder, when `ids` is empty. */
  why?: string;
};

export function certifiedBuilders({claims, identity}: Evidence): CertifiedBuilders {
  const signer = toBuildSigner(identity);
  if (signer.kind === `unknown`)
    return {ids: [], why: `the certificate names no signing workflow`};

  if (identity.issuer !== GITHUB_ISSUER) {
    const ownRunner = signer.kind === `own-workflow` && identity.sourceRepo !== undefined
      && claims.builderId.startsWith(`${identity.sourceRepo}/-/runners/`);
    return ownRunner ? {ids: [claims.builderId]} : {ids: [], why: UNCONFIRMED};
  }

  const ids: Array<string> = [];
  const npmOnRunner = NPM_GITHUB_BUILDER.test(claims.builderId);
  const delegated = delegatedBuilder(identity, claims.builderId);
  // A reusable workflow that signed is the builder when the predicate agrees: it names that workflow, the
  // builder a listed delegator signed for, or npm (publishing from inside the shared workflow).
  if (signer.kind === `reusable-workflow` && (claims.builderId === signer.uri || delegated !== undefined || npmOnRunner))
    ids.push(signer.uri);
  if (delegated !== undefined)
    ids.push(delegated);

  // npm on a GitHub runner: the runner comes from the certificate; the predicate must only agree that
  // npm built it there (and, for SLSA v1, on which runner: verification already compared that).
  const runner = identity.runnerEnvironment;
  if (npmOnRunner) {
    if (runner === undefined || !CERTIFIED_RUNNERS.has(runner)) {
      const why = runner === undefined
        ? `the certificate predates Fulcio recording the runner (about March 2023), so it proves no runner`
        : `the certificate records an unknown runner "${runner}"`;
      return {ids, why: ids.length === 0 ? why : undefined};
    }
    ids.push(`${GITHUB_RUNNER}/${runner}`);
    // slsa-verifier reads npm's gha/v2 id as github-hosted; so do we, never as self-hosted.
    if (runner === `github-hosted`)
      ids.push(GITHUB_RUNNER);
  }

  return ids.length > 0 ? {ids} : {ids, why: UNCONFIRMED};
}

/** `name@ref` → its parts; the `@` of a ref comes after the scheme's `://`. */
function splitRef(id: string): {name: string, ref?: string} {
  const at = id.indexOf(`@`, id.indexOf(`://`) + 3);
  return at === -1 ? {name: id} : {name: id.slice(0, at), ref: id.slice(at + 1)};
}

export function builderIdMatches(pattern: string, id: string): boolean {
  const wanted = splitRef(pattern);
  if (wanted.ref === undefined)
    return matchesGlob(wanted.name, splitRef(id).name);
  return splitRef(id).ref !== undefined && matchesGlob(pattern, id);
}

/** Undefined when a certified builder matches one of the patterns; otherwise what was found instead. */
export function builderMismatch(patterns: ReadonlyArray<string>, evidence: Evidence): {found: string} | undefined {
  const {ids, why} = certifiedBuilders(evidence);
  if (ids.some(id => patterns.some(pattern => builderIdMatches(pattern, id))))
    return undefined;

  if (ids.length === 0)
    return {found: `none confirmed: ${why} (the predicate says ${evidence.claims.builderId})`};
  const claimed = ids.includes(evidence.claims.builderId) ? `` : ` (the predicate says ${evidence.claims.builderId})`;
  return {found: `${ids.join(` or `)}${claimed}`};
}
