/**
 * The only way the client builds DOM. Strings always become text nodes or
 * attribute values, never markup: no HTML-parsing DOM API is used anywhere
 * in the client (a unit test checks), so text from messages or agents
 * cannot inject HTML.
 */

type Child = Node | string | number | null | undefined | false;

type Handler = (event: Event) => void;

export interface Props {
  readonly [name: string]: string | number | boolean | Handler | undefined;
}

/** Properties set as DOM properties rather than attributes. */
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'hidden', 'selected']);

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  setProps(element, props);
  append(element, ...children);
  return element;
}

export function setProps(element: HTMLElement, props: Props): void {
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (typeof value === 'function') {
      element.addEventListener(name.replace(/^on/, '').toLowerCase(), value);
    } else if (PROPERTIES.has(name)) {
      (element as unknown as Record<string, unknown>)[name] = value;
    } else if (value === false) {
      element.removeAttribute(name);
    } else {
      element.setAttribute(name === 'className' ? 'class' : name, value === true ? '' : String(value));
    }
  }
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces an element's children. */
export function replaceChildren(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** Sets text only when it changed (keeps screen readers and selection calm). */
export function setText(element: Node, text: string): void {
  if (element.textContent !== text) element.textContent = text;
}

const KEYED = new WeakMap<Element, Map<string, Element>>();

/**
 * Keeps `parent`'s children in step with `items` by key: new items are
 * created, kept ones updated in place (so focus, selection and scroll stay
 * put), gone ones removed, and the order fixed with as few moves as needed.
 */
export function reconcile<T, E extends Element>(
  parent: Element,
  items: readonly T[],
  key: (item: T) => string,
  create: (item: T) => E,
  update: (element: E, item: T) => void,
): void {
  const previous = KEYED.get(parent) ?? new Map<string, Element>();
  const next = new Map<string, Element>();
  for (const item of items) {
    const k = key(item);
    let element = previous.get(k) as E | undefined;
    if (element === undefined) element = create(item);
    update(element, item);
    next.set(k, element);
  }
  for (const [k, element] of previous) if (!next.has(k)) element.remove();
  let cursor: ChildNode | null = parent.firstChild;
  for (const element of next.values()) {
    if (cursor === element) {
      cursor = cursor.nextSibling;
    } else {
      parent.insertBefore(element, cursor);
    }
  }
  KEYED.set(parent, next);
}
