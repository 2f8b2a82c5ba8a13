/**
 * What Fulcio writes into a leaf for a CI identity: the SAN and the `1.3.6.1.4.1.57264.1.*`
 * extensions (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md), copied from the OIDC
 * token's claims. Values mirror real npm provenance certificates (see the fixtures' expected.json).
 */
import {createHash} from 'node:crypto';

import {derUtf8String} from './der';
import type {ResolvedIdentity} from './identity';

const FULCIO = `1.3.6.1.4.1.57264.1`;

export type LeafIdentity = {
  subjectAlternativeName: string;
  extensions: Array<{oid: string, value: Buffer}>;
};

export function toLeafIdentity(identity: ResolvedIdentity): LeafIdentity {
  return identity.platform === `github` ? github(identity) : gitlab(identity);
}

function github(id: ResolvedIdentity): LeafIdentity {
  const {workflowUri, signerWorkflow} = id;
  const trigger = id.refType === `tag` ? `release` : `push`;
  // A reusable workflow is checked out at its own commit; the package's workflow at the build's.
  const signerCommit = signerWorkflow === workflowUri ? id.commit : createHash(`sha1`).update(signerWorkflow).digest(`hex`);
  return {
    // The OIDC token's job_workflow_ref: the workflow that is running, the reusable one if any.
    subjectAlternativeName: signerWorkflow,
    extensions: [
      // .1–.6: the legacy extensions, raw bytes rather than DER; Fulcio still writes them for GitHub.
      legacy(1, id.issuer),
      legacy(2, trigger),
      legacy(3, id.commit),
      legacy(4, `Release`),
      legacy(5, id.projectPath),
      legacy(6, id.ref),
      utf8(8, id.issuer),
      utf8(9, signerWorkflow),
      utf8(10, signerCommit),
      utf8(11, id.runnerEnvironment),
      utf8(12, id.repository),
      utf8(13, id.commit),
      utf8(14, id.ref),
      utf8(15, id.repositoryId),
      utf8(16, id.ownerUrl),
      utf8(17, id.ownerId),
      utf8(18, workflowUri),
      utf8(19, id.commit),
      utf8(20, trigger),
      utf8(21, `${id.repository}/actions/runs/${id.runId}/attempts/1`),
      utf8(22, `public`),
    ],
  };
}

function gitlab(id: ResolvedIdentity): LeafIdentity {
  // GitLab's config URI joins project and path with `//`: `https://gitlab.com/g/p//.gitlab-ci.yml@ref`.
  const configUri = `${id.repository}//${id.workflowPath}@${id.ref}`;
  return {
    subjectAlternativeName: configUri,
    extensions: [
      legacy(1, id.issuer),
      utf8(8, id.issuer),
      utf8(9, configUri),
      utf8(10, id.commit),
      utf8(11, id.runnerEnvironment),
      utf8(12, id.repository),
      utf8(13, id.commit),
      utf8(14, id.ref),
      utf8(15, id.repositoryId),
      utf8(16, id.ownerUrl),
      utf8(17, id.ownerId),
      utf8(18, configUri),
      utf8(19, id.commit),
      utf8(20, `push`),
      utf8(21, `${id.repository}/-/jobs/${id.runId}`),
      utf8(22, `public`),
    ],
  };
}

function legacy(n: number, value: string) {
  return {oid: `${FULCIO}.${n}`, value: Buffer.from(value, `utf8`)};
}

function utf8(n: number, value: string) {
  return {oid: `${FULCIO}.${n}`, value: derUtf8String(value)};
}
