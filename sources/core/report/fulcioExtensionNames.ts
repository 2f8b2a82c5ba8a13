/**
 * Fulcio's certificate extensions (OID arc 1.3.6.1.4.1.57264.1), by the names Fulcio's documentation gives them
 * (docs/oid-info.md), so that `explain` shows `SourceRepositoryURI (1.3.6.1.4.1.57264.1.12)`, not a bare OID.
 */
const FULCIO_ARC = `1.3.6.1.4.1.57264.1.`;

const NAMES: Record<string, string> = {
  1: `Issuer (legacy)`,
  2: `GithubWorkflowTrigger`,
  3: `GithubWorkflowSHA`,
  4: `GithubWorkflowName`,
  5: `GithubWorkflowRepository`,
  6: `GithubWorkflowRef`,
  7: `OtherName`,
  8: `Issuer`,
  9: `BuildSignerURI`,
  10: `BuildSignerDigest`,
  11: `RunnerEnvironment`,
  12: `SourceRepositoryURI`,
  13: `SourceRepositoryDigest`,
  14: `SourceRepositoryRef`,
  15: `SourceRepositoryIdentifier`,
  16: `SourceRepositoryOwnerURI`,
  17: `SourceRepositoryOwnerIdentifier`,
  18: `BuildConfigURI`,
  19: `BuildConfigDigest`,
  20: `BuildTrigger`,
  21: `RunInvocationURI`,
  22: `SourceRepositoryVisibilityAtSigning`,
  23: `DeploymentEnvironment`,
};

/** `SourceRepositoryURI (1.3.6.1.4.1.57264.1.12)`; an OID outside the known list is shown as it is. */
export function describeExtension(oid: string): string {
  const name = oid.startsWith(FULCIO_ARC) ? NAMES[oid.slice(FULCIO_ARC.length)] : undefined;
  return name === undefined ? oid : `${name} (${oid})`;
}
