import { describe, expect, it } from 'vitest';
import { SPEC_DOCUMENTS } from '../../../lambdas/contracts/documents';
import { specText } from '../../../scripts/generate-specs';
import { readSpec } from '../../support/spec-cases';

describe('the checked-in specifications', () => {
  it.each(Object.keys(SPEC_DOCUMENTS))('%s is what the generator produces now (run npm run specs)', (path) => {
    const build = SPEC_DOCUMENTS[path as keyof typeof SPEC_DOCUMENTS];

    expect(readSpec(path)).toEqual(JSON.parse(specText(build())));
  });
});
