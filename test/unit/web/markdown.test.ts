import { describe, expect, it } from 'vitest';
import { markdownTree, plainText, safeHref, type MdNode } from '../../../web/src/markdown';

/** The text a tree shows, as a reader would copy it. */
const textOf = plainText;

/** Every element of a tree, depth first. */
const elements = (nodes: readonly MdNode[]): Exclude<MdNode, string>[] =>
  nodes.flatMap((n) => (typeof n === 'string' ? [] : [n, ...elements(n.children)]));

describe('markdownTree', () => {
  it('keeps plain text as one paragraph of itself', () => {
    expect(markdownTree('Hello Bob!')).toEqual([{ tag: 'p', children: ['Hello Bob!'] }]);
  });

  it('renders emphasis, strike-through and inline code', () => {
    expect(markdownTree('a **bold** _move_ ~~gone~~ `x < y & z`')).toEqual([
      {
        tag: 'p',
        children: [
          'a ',
          { tag: 'strong', children: ['bold'] },
          ' ',
          { tag: 'em', children: ['move'] },
          ' ',
          { tag: 'del', children: ['gone'] },
          ' ',
          { tag: 'code', children: ['x < y & z'] },
        ],
      },
    ]);
  });

  it('keeps a line break a person typed', () => {
    expect(textOf(markdownTree('first line\nsecond line'))).toBe('first line\nsecond line');
  });

  it('renders fenced code whole, lists and quotes', () => {
    const tree = markdownTree('```js\nconst a = "<b>";\n```\n\n- one\n- two\n\n3. third\n\n> quoted');

    expect(tree[0]).toEqual({ tag: 'pre', children: [{ tag: 'code', children: ['const a = "<b>";'] }] });
    expect(tree[1]).toMatchObject({ tag: 'ul', children: [{ tag: 'li' }, { tag: 'li' }] });
    expect(tree[2]).toMatchObject({ tag: 'ol', attrs: { start: 3 } });
    expect(tree[3]).toMatchObject({ tag: 'blockquote', children: [{ tag: 'p', children: ['quoted'] }] });
  });

  it('makes web and mail links clickable, opening apart from the chat', () => {
    const links = elements(markdownTree('see https://example.com/a?b=1 or [docs](https://docs.example.com) or <mailto:ops@example.com>')).filter(
      (e) => e.tag === 'a',
    );

    expect(links.map((l) => l.attrs?.['href'])).toEqual([
      'https://example.com/a?b=1',
      'https://docs.example.com/',
      'mailto:ops@example.com',
    ]);
    expect(links.every((l) => l.attrs?.['rel'] === 'noopener noreferrer nofollow' && l.attrs['target'] === '_blank')).toBe(true);
  });

  it('shows a link to any other scheme as the text that was typed, not as a link', () => {
    const typed = '[click](java' + 'script:alert(1)) [file](file:///etc/passwd) [data](data:text/html,hi)';
    const tree = markdownTree(typed);

    expect(elements(tree).filter((e) => e.tag === 'a')).toEqual([]);
    expect(textOf(tree)).toBe(typed);
  });

  it('shows HTML as the text it is and never loads an image', () => {
    const tree = markdownTree('<img src=x onerror=alert(1)> <b>hi</b>\n\n![cat](https://example.com/cat.png)');
    const tags = elements(tree).map((e) => e.tag);

    expect(textOf(tree)).toContain('<img src=x onerror=alert(1)> <b>hi</b>');
    expect(tags).not.toContain('img');
    // The picture is offered as a link to follow, not fetched.
    expect(elements(tree).find((e) => e.tag === 'a')).toMatchObject({ attrs: { href: 'https://example.com/cat.png' }, children: ['🖼 cat'] });
  });

  it('shows a heading as a bold line, so one message cannot disturb the page outline', () => {
    expect(markdownTree('# Release notes')).toEqual([{ tag: 'p', children: [{ tag: 'strong', children: ['Release notes'] }] }]);
  });

  it('keeps right-to-left and odd Unicode text whole', () => {
    const text = 'שלום עולם 👋🏽 e\u0301';
    expect(textOf(markdownTree(text))).toBe(text);
  });
});

describe('safeHref', () => {
  it('accepts http, https and mailto and refuses the rest and malformed addresses', () => {
    expect(safeHref('https://example.com')).toBe('https://example.com/');
    expect(safeHref('mailto:a@b.c')).toBe('mailto:a@b.c');
    expect(safeHref('ftp://example.com')).toBeUndefined();
    expect(safeHref('http://[')).toBeUndefined();
    expect(safeHref('/relative')).toBeUndefined();
  });
});
