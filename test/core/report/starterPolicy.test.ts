import {describe, expect, it} from 'vitest';

import {parsePolicy} from '../../../sources/core/policy/parsePolicy';
import {STARTER_POLICY, starterPolicyHint} from '../../../sources/core/report/starterPolicy';

describe(`the starter policy the no-policy hint prints`, () => {
  it(`parses, and enforces with one example rule`, () => {
    const policy = parsePolicy(STARTER_POLICY.join(`\n`), `.provenance.yml`);
    expect(policy.default).toMatchObject({require: `none`, mode: `enforce`});
    expect(policy.rules).toHaveLength(1);
  });

  it(`is printed whole after the line that says where to save it`, () => {
    const [where, ...yaml] = starterPolicyHint(`.provenance.yml`).split(`\n`);
    expect(where).toContain(`.provenance.yml`);
    expect(parsePolicy(yaml.join(`\n`), `.provenance.yml`).rules).toHaveLength(1);
  });
});
