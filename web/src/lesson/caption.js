// The caption markup of lessons (docs/lessons.md): paragraphs split by a
// blank line, *emphasis*, **strong**, `code`, and a backslash that makes
// the next character plain. Nothing else: no links, no HTML. A caption is
// an author's text shown inside a course page, so it only ever becomes
// text nodes and <p>/<em>/<strong>/<code> elements, never innerHTML;
// "<script>" in a caption is shown as those eight characters.
//
// An opening * or ** must touch the word after it and the closing one the
// word before it, so "2 * 3 * 4" stays arithmetic; a marker with no partner
// stays literal text.

export const MAX_CAPTION_LENGTH = 2000;
// Emphasis inside strong inside emphasis is as deep as a caption needs; deeper markers stay text.
const MAX_NESTING = 3;

const isSpace = (ch) => ch === undefined || /\s/.test(ch);

/**
 * The caption as a tree: [{ type: 'p', children }] where a child is
 * { type: 'text', text } or { type: 'em' | 'strong', children } or
 * { type: 'code', text }.
 * @param {string} text
 */
export function parseCaption(text) {
  const source = String(text ?? '').replace(/\r\n?/g, '\n');
  return source
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter(Boolean)
    .map((block) => ({ type: 'p', children: parseInline(block, 0, null, 0).nodes }));
}

/** Is there a closing `marker` after `from` that follows a non-space (a candidate for closing)? */
function closerAhead(s, from, marker) {
  for (let at = s.indexOf(marker, from); at >= 0; at = s.indexOf(marker, at + 1)) if (!isSpace(s[at - 1])) return true;
  return false;
}

/**
 * Reads inline markup from `start` until `stop` (a closing marker) or the
 * end. Returns { nodes, end }, or null when `stop` never closes (the
 * opener is then literal text).
 */
function parseInline(s, start, stop, depth) {
  const nodes = [];
  let buffer = '';
  const flush = () => {
    if (buffer) nodes.push({ type: 'text', text: buffer });
    buffer = '';
  };
  let i = start;
  while (i < s.length) {
    if (stop && s.startsWith(stop, i) && i > start && !isSpace(s[i - 1])) {
      flush();
      return { nodes, end: i + stop.length };
    }
    const ch = s[i];
    if (ch === '\\' && i + 1 < s.length) {
      buffer += s[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const close = s.indexOf('`', i + 1);
      if (close > i + 1) {
        flush();
        nodes.push({ type: 'code', text: s.slice(i + 1, close) });
        i = close + 1;
        continue;
      }
    }
    if (ch === '*' && depth < MAX_NESTING) {
      const marker = s.startsWith('**', i) ? '**' : '*';
      const after = i + marker.length;
      if (marker !== stop && !isSpace(s[after]) && closerAhead(s, after + 1, marker)) {
        const inner = parseInline(s, after, marker, depth + 1);
        if (inner && inner.nodes.length) {
          flush();
          nodes.push({ type: marker === '**' ? 'strong' : 'em', children: inner.nodes });
          i = inner.end;
          continue;
        }
      }
      buffer += marker;
      i = after;
      continue;
    }
    buffer += ch;
    i++;
  }
  if (stop) return null;
  flush();
  return { nodes, end: i };
}

/** The caption's words without markup (for an accessible name or a summary). */
export function captionText(text) {
  const flat = (nodes) => nodes.map((node) => (node.children ? flat(node.children) : node.text)).join('');
  return parseCaption(text).map((p) => flat(p.children)).join('\n\n');
}

/**
 * The caption as DOM nodes: one <p> per paragraph, holding text nodes and
 * <em>, <strong> and <code> elements, all made with createElement and
 * createTextNode. `doc` is the document to make them in.
 * @param {string} text
 * @returns {Node[]}
 */
export function renderCaption(text, doc = document) {
  const build = (node) => {
    if (node.type === 'text') return doc.createTextNode(node.text);
    const element = doc.createElement(node.type);
    if (node.type === 'code') element.append(doc.createTextNode(node.text));
    else for (const child of node.children) element.append(build(child));
    return element;
  };
  return parseCaption(text).map(build);
}
