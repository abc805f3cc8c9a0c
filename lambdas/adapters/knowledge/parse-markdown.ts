import { lexer, type Token, type Tokens } from 'marked';
import type { ParsedDocument, ParsedSection } from '../../domain/knowledge/chunking';
import { htmlSections } from './parse-html';
import { decodeText } from './parse-text';

/** The plain text of a token: inline formatting and link targets dropped, embedded HTML reduced to its text. */
function plain(token: Token): string {
  switch (token.type) {
    case 'html':
      return htmlSections(token.text)
        .flatMap((s) => s.paragraphs)
        .join(' ');
    case 'list':
      return (token as Tokens.List).items.map(plain).join('\n');
    case 'table': {
      const table = token as Tokens.Table;
      return [table.header, ...table.rows].map((row) => row.map((cell) => cell.tokens.map(plain).join('')).join(' | ')).join('\n');
    }
    case 'image':
      return (token as Tokens.Image).text;
    case 'br':
    case 'hr':
    case 'space':
      return ' ';
    default:
      if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) return token.tokens.map(plain).join('');
      return 'text' in token && typeof token.text === 'string' ? token.text : '';
  }
}

/**
 * A text/markdown document, read with marked's lexer: each heading opens a
 * section whose path is the enclosing headings ("Warranty › Returns");
 * paragraphs, list items, table rows, quotes and code blocks become
 * paragraphs of plain text (no markup, no link targets).
 */
export function parseMarkdown(bytes: Uint8Array): ParsedDocument {
  const sections: ParsedSection[] = [];
  let path: string[] = [];
  let paragraphs: string[] = [];
  const endSection = () => {
    if (paragraphs.length > 0) sections.push({ path, paragraphs });
    paragraphs = [];
  };
  for (const token of lexer(decodeText(bytes))) {
    if (token.type === 'heading') {
      endSection();
      const heading = token as Tokens.Heading;
      const text = plain(heading).replace(/\s+/gu, ' ').trim();
      path = [...path.slice(0, heading.depth - 1), ...(text === '' ? [] : [text])];
      continue;
    }
    if (token.type === 'list') {
      paragraphs.push(...(token as Tokens.List).items.map(plain));
      continue;
    }
    paragraphs.push(plain(token));
  }
  endSection();
  return { sections: sections.map((s) => ({ ...s, paragraphs: s.paragraphs.map((p) => p.trim()).filter((p) => p !== '') })).filter((s) => s.paragraphs.length > 0) };
}
