/**
 * The shape checks trust texts get before anything relies on them, kept free of sigstore-js so that
 * Yarn's main thread can vet a cached copy without loading the verifier.
 */

/** The key usage that npm assigns to the keys that sign publish attestations. */
export const ATTESTATION_KEY_USAGE = `npm:attestations`;

/** What is wrong with a parsed trusted_root.json, in words; empty when its shape is usable. */
export function trustedRootProblems(json: unknown): Array<string> {
  const root = json as Record<string, unknown> | null;
  if (typeof root !== `object` || root === null || Array.isArray(root))
    return [`it is not a JSON object`];

  // ctlogs too: the verifier requires an SCT on every certificate, so a root without a CT log
  // would load and then reject every provenance with a confusing signature error.
  const problems: Array<string> = [];
  for (const key of [`tlogs`, `certificateAuthorities`, `ctlogs`]) {
    if (!Array.isArray(root[key]) || (root[key] as Array<unknown>).length === 0) {
      problems.push(`"${key}" must be a non-empty list`);
    }
  }
  return problems;
}

/** Whether both texts parse and have the shape of a trusted root and a keys list (TUF or registry form). */
export function looksLikeTrust(texts: {trustedRoot: string, registryKeys: string}): boolean {
  try {
    const keys = JSON.parse(texts.registryKeys) as {keys?: unknown} | null;
    return trustedRootProblems(JSON.parse(texts.trustedRoot)).length === 0 && Array.isArray(keys?.keys) && keys.keys.length > 0;
  } catch {
    return false;
  }
}
