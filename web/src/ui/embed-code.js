// "Copy embed code": an iframe and the <embedding-explorer> element, both
// carrying the whole view as the URL does (url-params.js is the one list),
// with no fixed pixel width and no style attribute, which a host page's
// CSP with style-src 'self' would block. frameborder="0" is the one way
// left to drop the iframe's 2px border, which would make a 100% wide frame
// overflow the course page's column.
import { $, el } from './dom.js';
import { URL_PARAMS } from './url-params.js';
import { viewParams } from './url-state.js';
import { t, tElement } from '../i18n/strings.js';

const ANALOGY = ['a', 'b', 'c'];
const COPIED_FOR_MS = 2000;

const attributeValue = (text) => String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** { iframe, element } snippets for `view`, with the explorer at `base` (the page's own folder). */
export function embedSnippets(view, base = location.href) {
  const params = viewParams(view);
  const query = params.toString();
  const embedUrl = new URL(`./embed.html${query ? `?${query}` : ''}`, base).href;
  const scriptUrl = new URL('./embedding-explorer.js', base).href;
  const attributes = [];
  if (ANALOGY.every((key) => params.has(key))) attributes.push(['analogy', ANALOGY.map((key) => params.get(key)).join(' ')]);
  for (const { param, attribute } of URL_PARAMS) {
    if (attribute && params.has(param)) attributes.push([attribute, params.get(param)]);
  }
  const attributeText = attributes.map(([name, value]) => ` ${name}="${attributeValue(value)}"`).join('');
  return {
    iframe: `<iframe src="${attributeValue(embedUrl)}" title="${attributeValue(tElement.explorerFrameTitle)}" width="100%" height="460" frameborder="0" loading="lazy"></iframe>`,
    element: `<script src="${attributeValue(scriptUrl)}"></script>\n<embedding-explorer${attributeText}></embedding-explorer>`,
  };
}

/** Wires the button: shows both snippets in a text box, copies them, and says so for a moment. */
export function setupEmbedCode(button, getView) {
  if (!button) return;
  const label = button.textContent;
  let timer = 0;
  button.addEventListener('click', () => {
    const { iframe, element } = embedSnippets(getView());
    const code = `${iframe}\n\n<!-- or, with one script tag: -->\n${element}`;
    let box = $('embed-code');
    if (!box) {
      box = el('textarea', { id: 'embed-code', class: 'embed-code', readonly: true, rows: 6, 'aria-label': t.embedCode });
      button.after(box);
    }
    box.value = code;
    box.select();
    const say = (text) => {
      button.textContent = text;
      clearTimeout(timer);
      timer = setTimeout(() => (button.textContent = label), COPIED_FOR_MS);
    };
    if (!navigator.clipboard) return say(t.selectAndCopy);
    navigator.clipboard.writeText(code).then(
      () => say(t.copied),
      () => say(t.selectAndCopy),
    );
  });
}
