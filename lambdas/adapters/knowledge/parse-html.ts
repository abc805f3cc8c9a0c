import { Parser } from 'htmlparser2';
import type { ParsedDocument, ParsedSection } from '../../domain/knowledge/chunking';
import { decodeText } from './parse-text';

/** Elements whose content is not the page's text: code, styling, navigation and what is hidden. */
const SKIPPED = new Set(['script', 'style', 'nav', 'noscript', 'template', 'head', 'svg', 'iframe', 'object', 'select', 'button']);
/** Elements that end a paragraph. */
const BLOCKS = new Set([
  'p', 'div', 'br', 'li', 'ul', 'ol', 'dl', 'dt', 'dd', 'tr', 'table', 'section', 'article', 'aside', 'header', 'footer',
  'main', 'blockquote', 'pre', 'figure', 'figcaption', 'hr', 'form', 'fieldset', 'address', 'details', 'summary',
]);
const HEADING = /^h([1-6])$/u;

/**
 * The text of an HTML page by its headings: each h1–h6 opens a section
 * whose path is the enclosing headings; block elements separate
 * paragraphs; table cells are separated by spaces. The content of script,
 * style, nav and other non-text elements is dropped, and no markup or
 * attribute is ever kept (entities are decoded). Malformed HTML is read as
 * browsers would, as far as htmlparser2 does.
 */
export function htmlSections(html: string): ParsedSection[] {
  const sections: ParsedSection[] = [];
  let path: string[] = [];
  let paragraphs: string[] = [];
  let paragraph = '';
  let heading: { depth: number; text: string } | undefined;
  let skipping = 0;

  const endParagraph = () => {
    const text = paragraph.replace(/\s+/gu, ' ').trim();
    if (text !== '') paragraphs.push(text);
    paragraph = '';
  };
  const endSection = () => {
    endParagraph();
    if (paragraphs.length > 0) sections.push({ path, paragraphs });
    paragraphs = [];
  };

  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipping += 1;
        if (skipping > 0) return;
        const depth = HEADING.exec(name)?.[1];
        if (depth !== undefined) {
          endSection();
          heading = { depth: Number(depth), text: '' };
        } else if (BLOCKS.has(name)) endParagraph();
        else if (name === 'td' || name === 'th') paragraph += ' ';
      },
      ontext(text) {
        if (skipping > 0) return;
        if (heading) heading.text += text;
        else paragraph += text;
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) {
          skipping = Math.max(0, skipping - 1);
          return;
        }
        if (skipping > 0) return;
        if (heading && HEADING.test(name)) {
          const text = heading.text.replace(/\s+/gu, ' ').trim();
          path = [...path.slice(0, heading.depth - 1), ...(text === '' ? [] : [text])];
          heading = undefined;
        } else if (BLOCKS.has(name)) endParagraph();
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  endSection();
  return sections;
}

/** A text/html document (see `htmlSections`). */
export function parseHtml(bytes: Uint8Array): ParsedDocument {
  return { sections: htmlSections(decodeText(bytes)) };
}
