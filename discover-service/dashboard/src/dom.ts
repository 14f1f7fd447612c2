/** Tiny element builders: text always goes in as text nodes, never as HTML. */

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(element: Element, attrs: Attrs | null | undefined, children: readonly Child[]): void {
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (typeof value === 'function') element.addEventListener(name.replace(/^on/, ''), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== undefined && value !== false) element.setAttribute(name, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : String(child));
  }
}

/** An HTML element; `onclick` and friends in `attrs` become listeners. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  apply(element, attrs, children);
  return element;
}

/** An SVG element. */
export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  apply(element, attrs, children);
  return element;
}

/** Replaces everything inside `parent`. */
export function mount(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  apply(parent, null, children);
}

/** `2026-11-22T00:26:47.413Z` as the reader's local date and time. */
export function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** Like {@link localTime}, but only the time of day when it is today: for columns of recent moments. */
export function shortTime(iso: string, now = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toDateString() === now.toDateString() ? date.toLocaleTimeString() : date.toLocaleString();
}
