/**
 * The package of `verify`, given as the argument (`verify sigstore@2.3.1`) or with `--package`: one of them, or
 * both naming the same. Returns the spec, or the sentence that says what is missing or conflicting (a usage error).
 */
export function packageArgument({spec, packageOption}: {spec?: string, packageOption?: string}, command: string): {spec: string} | {problem: string} {
  if (spec !== undefined && packageOption !== undefined && spec !== packageOption)
    return {problem: `Two packages given ("${spec}" and --package "${packageOption}"): verify checks one package`};
  const given = spec ?? packageOption;
  if (given === undefined)
    return {problem: `Missing the package to verify: ${command} <name>@<version> (for example ${command} sigstore@2.3.1)`};
  return {spec: given};
}
