/**
 * A pinned identity beside a version's own, as `explain` and `approve` show them: one row per field,
 * the pin on the left, the version on the right, and a `≠` where they differ.
 */
import type {Verdict} from '../provenance.types';
import type {Pin, PinIdentity} from './pins.types';

/** `absent`: what the column reads without an identity (default `no provenance`). */
type Column = {title: string, identity: PinIdentity | undefined, absent?: string};

function signals(identity: PinIdentity): string {
  const present = [
    ...identity.publishAttestation ? [`publish attestation`] : [],
    ...identity.trustedPublisher ? [`trusted publisher`] : [],
    ...identity.staged ? [`staged`] : [],
  ];
  return present.length === 0 ? `none` : present.join(`, `);
}

const ROWS: Array<[string, (identity: PinIdentity) => string]> = [
  [`source`, identity => identity.source],
  [`workflow`, identity => identity.workflow ?? `(none)`],
  [`builder`, identity => identity.builder],
  [`runner`, identity => identity.runner],
  [`issuer`, identity => identity.issuer ?? `(none)`],
  [`publish`, signals],
];

/** Two columns, indented by two spaces; a column without an identity reads `no provenance`. */
export function describePinComparison(left: Column, right: Column): Array<string> {
  const cell = (column: Column, read: (identity: PinIdentity) => string) => column.identity === undefined ? column.absent ?? `no provenance` : read(column.identity);
  const rows = ROWS.map(([label, read]) => [label, cell(left, read), cell(right, read)] as const);
  const width = Math.max(left.title.length, ...rows.map(([, value]) => value.length));
  const lines = [`  ${``.padEnd(9)} ${left.title.padEnd(width)}   ${right.title}`];
  for (const [label, pinned, seen] of rows)
    lines.push(`  ${label.padEnd(9)} ${pinned.padEnd(width)} ${pinned === seen ? ` ` : `≠`} ${seen}`);
  return lines;
}

/** `pinned sigstore@2 (since 2.0.0, approved: moved to a new org)`. */
export function pinTitle(key: string, pin: Pin): string {
  return `pinned ${key} (since ${pin.since}${pin.reason ? `, approved: ${pin.reason}` : ``})`;
}

/** What continuity found for a verdict, for people: the code, the pin beside this version, and how to accept it. */
export function describeContinuity(verdict: Verdict): Array<string> {
  const {continuity} = verdict;
  if (continuity === undefined)
    return [];
  const version = `${verdict.package.name}@${verdict.package.version}`;
  const title = `${pinTitle(continuity.key, continuity.pin)}${continuity.sameLine ? `` : ` (other line)`}`;
  const overridden = continuity.overridden ? ` (OVERRIDDEN by PROVENANCE_ALLOW_CHANGE for this run)` : ``;
  return [
    `  continuity ${continuity.code ?? `unchanged`}${overridden}`,
    ...describePinComparison({title, identity: continuity.pin}, {title: `this version ${verdict.package.version}`, identity: continuity.seen}),
    ...continuity.code === undefined ? [] : [`  To accept the new identity (after checking it): yarn provenance approve ${version} --reason "<why>"`],
  ];
}
