import { Lexer, type Token, type Tokens } from 'marked';
import { h } from './ui/dom';
import { t } from './i18n';

/**
 * Markdown in messages, as chat apps show it: emphasis, code, links, lists,
 * quotes. `marked` parses (GitHub's dialect, a line break is a break); the
 * client builds the DOM from its tokens itself, so no HTML string is ever
 * parsed: HTML in a message is shown as the text it is, a link opens only
 * with http, https or mailto, and images are links, never loaded (a picture
 * from anywhere would tell its host who reads the room).
 */

const LINK_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The link's address when it is one a reader may follow, else undefined. */
export function safeHref(href: string): string | undefined {
  try {
    const url = new URL(href);
    return LINK_PROTOCOLS.has(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** A rendered element as plain data: what the DOM will hold, testable without one. */
export interface MdElement {
  readonly tag: 'p' | 'strong' | 'em' | 'del' | 'code' | 'pre' | 'br' | 'a' | 'blockquote' | 'ul' | 'ol' | 'li' | 'hr';
  readonly attrs?: Readonly<Record<string, string | number>>;
  readonly children: readonly MdNode[];
}

/** Text stays text: a string is only ever a text node. */
export type MdNode = string | MdElement;

const el = (tag: MdElement['tag'], children: readonly MdNode[] = [], attrs?: MdElement['attrs']): MdElement =>
  attrs === undefined ? { tag, children } : { tag, attrs, children };

const link = (href: string, children: readonly MdNode[], raw: string): MdNode => {
  const safe = safeHref(href);
  if (safe === undefined) return raw;
  return el('a', children, { href: safe, target: '_blank', rel: 'noopener noreferrer nofollow' });
};

function inline(tokens: readonly Token[] | undefined): MdNode[] {
  return (tokens ?? []).flatMap((token): MdNode[] => {
    switch (token.type) {
      case 'text': {
        const t = token as Tokens.Text;
        return t.tokens && t.tokens.length > 0 ? inline(t.tokens) : [t.text];
      }
      case 'escape':
        return [(token as Tokens.Escape).text];
      case 'strong':
        return [el('strong', inline((token as Tokens.Strong).tokens))];
      case 'em':
        return [el('em', inline((token as Tokens.Em).tokens))];
      case 'del':
        return [el('del', inline((token as Tokens.Del).tokens))];
      case 'codespan':
        return [el('code', [(token as Tokens.Codespan).text])];
      case 'br':
        return [el('br')];
      case 'link': {
        const l = token as Tokens.Link;
        return [link(l.href, inline(l.tokens), l.raw)];
      }
      case 'image': {
        const image = token as Tokens.Image;
        return [link(image.href, [`🖼 ${image.text || image.href}`], image.raw)];
      }
      default:
        // HTML and anything this client does not render: the text as typed.
        return [token.raw];
    }
  });
}

function blocks(tokens: readonly Token[]): MdNode[] {
  const nodes: MdNode[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case 'space':
      case 'def':
        break;
      case 'paragraph':
        nodes.push(el('p', inline((token as Tokens.Paragraph).tokens)));
        break;
      case 'text': {
        const t = token as Tokens.Text;
        nodes.push(...(t.tokens ? inline(t.tokens) : [t.text]));
        break;
      }
      case 'heading':
        // A heading inside one message would break the page's outline for screen readers.
        nodes.push(el('p', [el('strong', inline((token as Tokens.Heading).tokens))]));
        break;
      case 'code':
        nodes.push(el('pre', [el('code', [(token as Tokens.Code).text])]));
        break;
      case 'blockquote':
        nodes.push(el('blockquote', blocks((token as Tokens.Blockquote).tokens)));
        break;
      case 'list': {
        const list = token as Tokens.List;
        const items = list.items.map((item) => el('li', blocks(item.tokens)));
        const start = typeof list.start === 'number' && list.start !== 1 ? { start: list.start } : undefined;
        nodes.push(list.ordered ? el('ol', items, start) : el('ul', items));
        break;
      }
      case 'hr':
        nodes.push(el('hr'));
        break;
      default:
        // HTML blocks, tables and the rest: shown as typed.
        nodes.push(el('p', [token.raw.replace(/\n+$/, '')]));
    }
  }
  return nodes;
}

/** What `text` renders to as Markdown: plain text comes out as one paragraph of itself. */
export function markdownTree(text: string): MdNode[] {
  return blocks(Lexer.lex(text, { gfm: true, breaks: true }));
}

/** The plain text of a tree: what a code block's Copy button copies. */
export const plainText = (nodes: readonly MdNode[]): string =>
  nodes.map((n) => (typeof n === 'string' ? n : n.tag === 'br' ? '\n' : plainText(n.children))).join('');

/** A fenced block with a button that copies its code, saying so for a moment. */
function codeBlock(pre: Node, code: string): Node {
  const button = h('button', { type: 'button', className: 'copy-code', 'aria-label': t().markdown.copyCode }, t().markdown.copy);
  button.addEventListener('click', () => {
    void navigator.clipboard?.writeText(code).then(
      () => {
        button.textContent = t().markdown.copied;
        setTimeout(() => (button.textContent = t().markdown.copy), 2000);
      },
      () => (button.textContent = t().markdown.copyFailed),
    );
  });
  return h('div', { className: 'code-block' }, pre, button);
}

function toDom(node: MdNode): Node {
  if (typeof node === 'string') return document.createTextNode(node);
  const attrs = Object.fromEntries(Object.entries(node.attrs ?? {}).map(([k, v]) => [k, String(v)]));
  const element = h(node.tag, attrs, ...node.children.map(toDom));
  return node.tag === 'pre' ? codeBlock(element, plainText(node.children)) : element;
}

/** The DOM nodes that show `text` as Markdown. */
export function renderMarkdown(text: string): Node[] {
  return markdownTree(text).map(toDom);
}
