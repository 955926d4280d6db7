// The only way this client builds DOM: elements and text nodes. Strings never become markup,
// so whatever a user typed shows as the characters they typed. (The server's CSP also forbids
// innerHTML and friends through Trusted Types.)

/**
 * Creates an element. `props`: `class`, `dataset`, `on<event>` listeners, boolean attributes
 * (true/false) and plain attributes; children: nodes or strings (strings become text nodes).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

/** Appends nodes or strings (as text) to a parent; skips null, undefined and false. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(child instanceof Node ? child : String(child));
  }
}

/** Replaces all children of `parent`. */
export function replace(parent, ...children) {
  parent.replaceChildren();
  append(parent, children);
}
