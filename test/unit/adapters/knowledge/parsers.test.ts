import { PDFDocument, StandardFonts } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { FormatParser } from '../../../../lambdas/adapters/knowledge/parse-document';
import { parseHtml } from '../../../../lambdas/adapters/knowledge/parse-html';
import { parseMarkdown } from '../../../../lambdas/adapters/knowledge/parse-markdown';
import { parsePdf } from '../../../../lambdas/adapters/knowledge/parse-pdf';
import { parsePlainText } from '../../../../lambdas/adapters/knowledge/parse-text';
import { DocumentUnreadableError } from '../../../../lambdas/domain/knowledge/indexing';

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A PDF with one line of text per page (an empty string: a page with no text). */
async function pdfOf(pages: readonly string[]): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (const text of pages) {
    const page = doc.addPage();
    if (text !== '') page.drawText(text, { x: 50, y: 700, font, size: 12 });
  }
  return doc.save();
}

const reasonOf = async (work: Promise<unknown>): Promise<string> => {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DocumentUnreadableError);
  return (error as DocumentUnreadableError).reason;
};

describe('parsePlainText', () => {
  it('splits paragraphs at blank lines and normalises newlines', () => {
    expect(parsePlainText(utf8('\uFEFFFirst line\r\nstill first\r\n\r\nSecond'))).toEqual({
      sections: [{ path: [], paragraphs: ['First line\nstill first', 'Second'] }],
    });
  });

  it('refuses bytes that are not UTF-8', async () => {
    const latin1 = Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x6e, 0x6f, 0x69, 0x72]); // "café noir" in Latin-1

    expect(await reasonOf(Promise.resolve().then(() => parsePlainText(latin1)))).toBe('the file is not UTF-8 text');
  });

  it('refuses a binary file', async () => {
    expect(await reasonOf(Promise.resolve().then(() => parsePlainText(Uint8Array.from([0x61, 0, 0x62]))))).toBe('the file is binary, not text');
  });

  it('drops invisible direction and control characters', () => {
    const parsed = parsePlainText(utf8('re\u202Efund\u0007 policy'));

    expect(parsed.sections[0]?.paragraphs).toEqual(['refund policy']);
  });
});

describe('parseMarkdown', () => {
  it('gives a section per heading, with the path of enclosing headings, in plain text', () => {
    const markdown = [
      'Intro before any heading.',
      '',
      '# Warranty',
      '',
      'Covers **two years** of [normal use](https://example.com/use).',
      '',
      '## Returns',
      '',
      '- Free within *30 days*',
      '- Original box <b>required</b>',
      '',
      '# Shipping',
      '',
      '| Zone | Days |',
      '|---|---|',
      '| EU | 3 |',
    ].join('\n');

    const parsed = parseMarkdown(utf8(markdown));

    expect(parsed.sections).toEqual([
      { path: [], paragraphs: ['Intro before any heading.'] },
      { path: ['Warranty'], paragraphs: ['Covers two years of normal use.'] },
      { path: ['Warranty', 'Returns'], paragraphs: ['Free within 30 days', 'Original box required'] },
      { path: ['Shipping'], paragraphs: ['Zone | Days\nEU | 3'] },
    ]);
  });
});

describe('parseHtml', () => {
  it('keeps the text by headings and drops scripts, styles, navigation and markup', () => {
    const html = `<!doctype html><html><head><title>T</title><style>p { color: red }</style></head><body>
      <nav><a href="/">Home</a> <a href="/x">Other</a></nav>
      <h1>Warranty</h1><p>Covers <b>two</b> years &amp; parts.</p>
      <script>alert("stolen")</script>
      <h2>Returns</h2><p>Free within 30 days.</p><ul><li>Keep the box</li><li>Keep the receipt</li></ul>
      <h1>Shipping</h1><table><tr><td>EU</td><td>3 days</td></tr></table>
      </body></html>`;

    const parsed = parseHtml(utf8(html));

    expect(parsed.sections).toEqual([
      { path: ['Warranty'], paragraphs: ['Covers two years & parts.'] },
      { path: ['Warranty', 'Returns'], paragraphs: ['Free within 30 days.', 'Keep the box', 'Keep the receipt'] },
      { path: ['Shipping'], paragraphs: ['EU 3 days'] },
    ]);
    const all = JSON.stringify(parsed);
    expect(all).not.toContain('alert');
    expect(all).not.toContain('color');
    expect(all).not.toContain('Home');
    expect(all).not.toContain('<');
  });
});

describe('parsePdf', () => {
  it('gives a section per page with text, numbered from 1', async () => {
    const parsed = await parsePdf(await pdfOf(['Warranty covers two years.', '', 'Returns are free.']));

    expect(parsed.pages).toBe(3);
    expect(parsed.sections).toEqual([
      { path: [], page: 1, paragraphs: ['Warranty covers two years.'] },
      { path: [], page: 3, paragraphs: ['Returns are free.'] },
    ]);
  });

  it('refuses a PDF with no text', async () => {
    expect(await reasonOf(parsePdf(await pdfOf(['', ''])))).toBe('the PDF has no text (a scan without a text layer?)');
  });

  it('refuses a damaged PDF', async () => {
    const bytes = await pdfOf(['Some text.']);
    const damaged = utf8(`%PDF-1.7\n${'garbage '.repeat(100)}`);

    expect(await reasonOf(parsePdf(damaged))).toBe('the PDF is damaged and cannot be read');
    expect(await reasonOf(parsePdf(bytes.subarray(0, 40)))).toBe('the PDF is damaged and cannot be read');
  });

  it('refuses bytes that are not a PDF', async () => {
    expect(await reasonOf(parsePdf(utf8('Just text.')))).toBe('the file is not a PDF');
  });
});

describe('FormatParser', () => {
  const parser = new FormatParser();

  it('reads each declared type with its parser', async () => {
    const parsed = await parser.parse('text/markdown', utf8('# Title\n\nBody.'));

    expect(parsed.sections).toEqual([{ path: ['Title'], paragraphs: ['Body.'] }]);
  });

  it('refuses a PDF declared as text', async () => {
    const pdf = await pdfOf(['Text.']);

    expect(await reasonOf(parser.parse('text/plain', pdf))).toBe('the file is a PDF, not text/plain');
  });

  it('refuses a document with no text', async () => {
    expect(await reasonOf(parser.parse('text/html', utf8('<script>x()</script>')))).toBe('the document has no text');
  });

  it('refuses a document over the character limit', async () => {
    const big = utf8(`${'word '.repeat(700_000)}`);

    expect(await reasonOf(parser.parse('text/plain', big))).toMatch(/more than 3,000,000$/);
  });
});
