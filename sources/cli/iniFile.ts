/**
 * The lines of an `.npmrc`, as npm's ini reader takes them: `key=value`, `;` and `#` comments, quoted values,
 * `key[]=value` lines gathered into a list (`ca[]=`), and `${VAR}` expanded from the environment.
 */
export function parseIni(text: string, env: NodeJS.ProcessEnv): Array<[string, string | Array<string>]> {
  const pairs = new Map<string, string | Array<string>>();
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === `` || trimmed.startsWith(`;`) || trimmed.startsWith(`#`))
      continue;
    const equals = trimmed.indexOf(`=`);
    if (equals === -1)
      continue;
    const key = trimmed.slice(0, equals).trim();
    const value = unquote(trimmed.slice(equals + 1).trim()).replace(/\$\{([^}]+)\}/g, (_, name: string) => env[name] ?? ``);
    if (key.endsWith(`[]`)) {
      const list = pairs.get(key.slice(0, -2));
      pairs.set(key.slice(0, -2), Array.isArray(list) ? [...list, value] : [value]);
    } else {
      pairs.set(key, value);
    }
  }
  return [...pairs];
}

function unquote(value: string): string {
  return /^".*"$/.test(value) || /^'.*'$/.test(value) ? value.slice(1, -1) : value;
}
