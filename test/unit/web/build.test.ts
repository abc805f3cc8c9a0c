import { describe, expect, it } from 'vitest';
import { buildWebClient } from '../../../web/build';

describe('buildWebClient', () => {
  it('emits hashed assets and an index.html that loads them, with no inline script or style', () => {
    const { files, immutable } = buildWebClient();
    const html = new TextDecoder().decode(files.get('index.html'));
    const script = immutable.find((p) => p.endsWith('.js'));
    const styles = immutable.find((p) => p.endsWith('.css'));

    expect(script).toMatch(/^assets\/app-[A-Z0-9]{8}\.js$/);
    expect(styles).toMatch(/^assets\/styles-[A-Z0-9]{8}\.css$/);
    expect(html).toContain(`<script type="module" src="${script}"></script>`);
    expect(html).toContain(`<link rel="stylesheet" href="${styles}" />`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);
    // widget.js keeps a stable name for the pages that embed it (docs/widget.md).
    expect([...files.keys()].sort()).toEqual(['index.html', 'widget.js', ...immutable].sort());
  });

  it('bundles no server-side code: no AWS SDK, no zod', () => {
    const { files, immutable } = buildWebClient({ minify: false });
    const script = new TextDecoder().decode(files.get(immutable.find((p) => p.endsWith('.js'))!));

    expect(script).not.toMatch(/@aws-sdk|zod/);
  });
});
