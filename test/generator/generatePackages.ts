/**
 * N synthetic npm packages shaped like a real dependency tree: layers from the root's direct
 * dependencies down to leaves, each package depending on a few of the next layer, a third of them
 * scoped, sizes from a few hundred bytes to ~100 KB, some with lifecycle scripts, and a chosen
 * fraction carrying faults. Deterministic for a given seed, so benchmark runs compare.
 */

export type Fault = `wrong-repository` | `tampered-tarball` | `no-provenance` | `self-hosted`;

export type GeneratedPackage = {
  name: string;
  version: string;
  /** Exact versions of packages in the next layer. */
  dependencies: Record<string, string>;
  files: Record<string, string>;
  scripts?: Record<string, string>;
  /** The repository the package is built from (what a correct policy pins). */
  repository: string;
  fault?: Fault;
};

export type GeneratedProject = {
  packages: Array<GeneratedPackage>;
  /** The root project's direct dependencies. */
  rootDependencies: Record<string, string>;
};

export type GenerateOptions = {
  count: number;
  seed?: number;
  /** Fraction (0–1) of packages carrying a fault, spread evenly over the fault kinds. */
  faultFraction?: number;
  /** Fraction (0–1) of packages with a postinstall script. */
  scriptFraction?: number;
  /** Organisation the packages' repositories live under. */
  org?: string;
};

const FAULTS: ReadonlyArray<Fault> = [`wrong-repository`, `tampered-tarball`, `no-provenance`, `self-hosted`];
const SCOPES = [`@acme`, `@tools`, `@ui`, `@data`];
const WORDS = [`core`, `util`, `parse`, `format`, `stream`, `color`, `path`, `event`, `cache`, `config`, `http`, `log`, `math`, `date`, `json`, `test`];

/** mulberry32: small, fast, and good enough to spread sizes and edges. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateProject({count, seed = 1, faultFraction = 0, scriptFraction = 0.02, org = `bench-org`}: GenerateOptions): GeneratedProject {
  const rand = random(seed);
  const pick = <T>(items: ReadonlyArray<T>) => items[Math.floor(rand() * items.length)]!;

  // Layer sizes grow like real trees: few direct dependencies, many transitive ones.
  const layers: Array<Array<GeneratedPackage>> = [];
  let remaining = count;
  let width = Math.max(1, Math.min(count, Math.round(Math.sqrt(count) * 1.5)));
  while (remaining > 0) {
    const size = Math.min(remaining, width);
    layers.push([]);
    remaining -= size;
    for (let i = 0; i < size; i++) {
      const index = count - remaining - size + i;
      const scoped = rand() < 0.33;
      const base = `${pick(WORDS)}-${pick(WORDS)}-${index}`;
      const name = scoped ? `${SCOPES[index % SCOPES.length]}/${base}` : base;
      const version = `${1 + Math.floor(rand() * 4)}.${Math.floor(rand() * 12)}.${Math.floor(rand() * 20)}`;
      layers[layers.length - 1]!.push({
        name,
        version,
        dependencies: {},
        files: files(name, rand),
        scripts: rand() < scriptFraction ? {postinstall: `node -e "process.exitCode = 0"`} : undefined,
        repository: `https://github.com/${org}/${base}`,
      });
    }
    width = Math.ceil(width * 1.6);
  }

  // Edges: every package of layer k+1 has at least one parent in layer k; parents take 0–5 children.
  for (let k = 0; k + 1 < layers.length; k++) {
    const parents = layers[k]!;
    for (const child of layers[k + 1]!) {
      const parent = pick(parents);
      parent.dependencies[child.name] = child.version;
    }
    for (const parent of parents) {
      const extra = Math.floor(rand() * 3);
      for (let e = 0; e < extra; e++) {
        const child = pick(layers[k + 1]!);
        parent.dependencies[child.name] = child.version;
      }
    }
  }

  const packages = layers.flat();
  const faulty = Math.round(packages.length * faultFraction);
  for (let i = 0; i < faulty; i++)
    packages[Math.floor((i + 0.5) * packages.length / faulty)]!.fault = FAULTS[i % FAULTS.length];

  const rootDependencies = Object.fromEntries(layers[0]!.map(pkg => [pkg.name, pkg.version]));
  return {packages, rootDependencies};
}

/** Sizes spread like npm's: most packages small, a few large. */
function files(name: string, rand: () => number): Record<string, string> {
  const size = Math.floor(300 + Math.pow(rand(), 3) * 100_000);
  const lines: Array<string> = [`'use strict';`, `// ${name}`];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const line = `exports.f${i} = function f${i}(a, b) { return a * ${Math.floor(rand() * 1000)} + b - ${i}; };`;
    lines.push(line);
    length += line.length + 1;
  }
  return {'index.js': `${lines.join(`\n`)}\n`, 'README.md': `# ${name}\n\nGenerated for tests.\n`};
}
