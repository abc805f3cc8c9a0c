import { describe, expect, it } from 'vitest';
import { SPEC_FILES, specText } from '../../../scripts/generate-specs';
import { readSpec } from '../../support/spec-cases';

describe('the checked-in specifications', () => {
  it.each(Object.keys(SPEC_FILES))('%s is what the generator produces now (run npm run specs)', (path) => {
    const build = SPEC_FILES[path as keyof typeof SPEC_FILES];

    expect(readSpec(path)).toEqual(JSON.parse(specText(build())));
  });
});
