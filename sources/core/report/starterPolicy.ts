/**
 * The policy the no-policy hint prints, whole, so that anyone can start from it: users who imported the plugin by
 * URL have no `policies/` folder to copy a preset from. It must parse (test/core/report/starterPolicy.test.ts).
 */
export const STARTER_POLICY = [
  `version: 1`,
  `default:`,
  `  require: none    # provenance present is always verified; "provenance" requires it everywhere`,
  `  mode: enforce    # "warn" reports without blocking`,
  `rules:             # the first rule that matches a package decides; an example:`,
  `  - packages: ["sigstore", "@sigstore/*"]`,
  `    source: github.com/sigstore/sigstore-js`,
];

/**
 * What follows the "gate OFF" headline: where to save the starter policy, then the policy itself, one line each and
 * at column 1, so that it can be copied as it is printed (Yarn prefixes only the first line of a message).
 */
export function starterPolicyHint(policyFile: string): string {
  return [`To start, save these lines as ${policyFile} (\`yarn provenance audit\` shows what they say of each package):`, ...STARTER_POLICY].join(`\n`);
}
