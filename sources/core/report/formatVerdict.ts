import type {Verdict} from '../provenance.types';

const MARK: Record<Verdict[`status`], string> = {
  verified: `✓`,
  missing: `○`,
  violation: `✗`,
  invalid: `✗`,
  unverifiable: `?`,
  unattestable: `△`,
  patched: `·`,
  project: `·`,
};

/**
 * The human report for one package: a headline, then what was expected and found, then the
 * evidence. Plain text, so the CLI and the Yarn layer can both print it.
 */
export function formatVerdict(verdict: Verdict): Array<string> {
  // An alias names both: what it is installed as, and what it really is.
  const aliases = verdict.installedAs?.length ? ` (installed as ${verdict.installedAs.join(`, `)})` : ``;
  const name = `${verdict.package.name}@${verdict.package.version}${aliases}`;
  const evidence = verdict.provenance;
  const level = evidence ? ` (SLSA Build L${evidence.slsaLevel})` : ``;
  const overridden = verdict.continuity?.overridden === true;
  const outcome = !verdict.allowed ? `blocked` : overridden ? `allowed once by PROVENANCE_ALLOW_CHANGE` : verdict.code ? `allowed by ${verdict.mode} mode` : `allowed`;
  const lines = [`${MARK[verdict.status]} ${name}: ${verdict.status}${verdict.code ? ` ${verdict.code}` : ``}${level}, ${outcome}`];

  if (verdict.message)
    lines.push(`  ${verdict.message}`);
  if (verdict.origin !== undefined && verdict.origin !== verdict.found)
    lines.push(`  from      ${verdict.origin}`);
  if (verdict.expected !== undefined)
    lines.push(`  expected  ${verdict.expected}`);
  if (verdict.found !== undefined)
    lines.push(`  found     ${verdict.found}`);

  const provenance = evidence?.provenance;
  if (provenance) {
    const {identity, claims} = provenance;
    const commit = identity.commit ? ` (${identity.commit.slice(0, 12)})` : ``;
    lines.push(`  source    ${identity.sourceRepo ?? `(unknown)`}${identity.ref ? ` @ ${identity.ref}` : ``}${commit}`);
    if (identity.workflowPath)
      lines.push(`  workflow  ${identity.workflowPath}`);
    lines.push(`  builder   ${claims.builderId}`);
    lines.push(`  runner    ${identity.runnerEnvironment ?? `(not recorded in the certificate)`}`);
    if (identity.issuer)
      lines.push(`  issuer    ${identity.issuer}`);
  }
  if (evidence?.publish)
    lines.push(`  publish   signed by the registry key ${evidence.publish.keyId}${evidence.publish.integratedTime ? ` at ${evidence.publish.integratedTime.toISOString()}` : ``}`);
  if (evidence && evidence.unknownPredicateTypes.length > 0)
    lines.push(`  ignored   attestations of unknown types: ${evidence.unknownPredicateTypes.join(`, `)}`);

  // A finding's message already names the rule that decided: say it once.
  if (!verdict.message?.includes(verdict.rule))
    lines.push(`  rule      ${verdict.rule}`);
  for (const note of verdict.notes)
    lines.push(`  note      ${note}`);

  return lines;
}
