// <embedding-explorer analogy="man king woman"></embedding-explorer>
//
// One classic script tag makes the widget available on any course page:
//   <script src="https://your.host/explorer/embedding-explorer.js"></script>
// The build ships this file as a classic (IIFE) script, not a module: a
// module from another origin is fetched in CORS mode and is blocked unless
// the explorer's host sends Access-Control-Allow-Origin, while a classic
// script loads from any static host. The element hosts embed.html (found
// next to this script) in an iframe, so the wasm core, its worker and the
// data come from the explorer's own origin; the host page's CSP needs only
// script-src and frame-src for that origin.
//
// Every attribute in URL_PARAMS maps to its URL parameter; analogy="a b c"
// sets a, b and c. width (default 100%) and height are optional.
// data="tables/lesson.emb" starts the widget with another table from the
// explorer's site (resolved against embed.html, so relative to the explorer).
// The widgets of one page share one compute worker (a SharedWorker, see
// compute/client.js): one download and one table in memory for all of them.
//
// Lessons (docs/lessons.md): lesson="analogies" (a built-in lesson, or a
// .json file relative to the explorer), or the lesson inline, which a
// strict CSP allows because it is data, not script:
//   <embedding-explorer><script type="application/json">{ … }</script></embedding-explorer>
// The element sends an inline lesson (or one at a full URL of the course
// page's own site, which it fetches) to its iframe by postMessage, and
// re-dispatches the lesson's progress messages as a DOM event,
// 'embedding-explorer-progress' (bubbles, composed; detail: the message).
import { PAGE_OPTIONS, URL_PARAMS } from '../ui/url-params.js';
import { INLINE_LESSON, LESSON_MESSAGE_TYPE } from '../lesson/inline-lesson.js';
import { PROGRESS_MESSAGE_TYPE } from '../lesson/lesson-progress.js';
import { tElement as t } from '../i18n/strings.js';
import { EMBED_MESSAGE_TYPE } from './embed-messages.js';
import { buildFallback, showFallback } from './fallback.js';

const ATTRIBUTE_TO_PARAM = Object.freeze(
  Object.fromEntries([...URL_PARAMS, ...PAGE_OPTIONS].filter((p) => p.attribute).map((p) => [p.attribute, p.param])),
);
export const PROGRESS_EVENT = 'embedding-explorer-progress';
const ANALOGY_PARAMS = ['a', 'b', 'c'];
// An embed page that loads but never says hello within this time is not
// the explorer (a 404 page, a page blocked by the host's CSP, a network
// error page): the fallback then says so.
const HELLO_GRACE_MS = 4000;
// Stacked (narrow) embeds need more height for the results above the plot.
const NARROW_BELOW_PX = 600;
const DEFAULT_HEIGHT = { wide: 460, narrow: 680 };

/**
 * Where this script came from. document.currentScript is only set while a
 * classic script first runs, so it is read once, at load. If the file is
 * loaded some other way (as a module, or injected), the script tag that
 * names it is the next best source.
 */
function scriptUrl() {
  const current = document.currentScript;
  if (current instanceof HTMLScriptElement && current.src) return current.src;
  const tag = [...document.scripts].find((s) => /embedding-explorer[\w.-]*\.js(?:[?#]|$)/.test(s.src));
  return tag ? tag.src : location.href;
}
const explorerBase = new URL('./', scriptUrl());

/** The explorer's URL parameters for an element's attributes. */
function paramsFromAttributes(element) {
  const params = new URLSearchParams();
  const analogy = element.getAttribute('analogy')?.trim().split(/\s+/).filter(Boolean);
  if (analogy?.length) {
    // Fewer than three words still go through: the embed page then says
    // that an analogy needs all of a, b and c, where the learner sees it.
    if (analogy.length !== 3) console.warn(`<embedding-explorer analogy="${analogy.join(' ')}">: an analogy takes three words, "a b c" (a : b :: c : ?).`);
    analogy.slice(0, 3).forEach((word, i) => params.set(ANALOGY_PARAMS[i], word));
  }
  for (const [attribute, param] of Object.entries(ATTRIBUTE_TO_PARAM)) {
    const value = element.getAttribute(attribute);
    if (value !== null && value !== '') params.set(param, value);
  }
  return params;
}

/** What a course author can check when no explorer answered in the frame. */
function notAnsweringDetail() {
  const page = new URL('./embed.html', explorerBase).href;
  return t.noExplorerAnswered(page, explorerBase.origin);
}

const cssSize = (value) => (/^\d+(\.\d+)?$/.test(value) ? `${value}px` : value);

class EmbeddingExplorerElement extends HTMLElement {
  static get observedAttributes() {
    return [...Object.keys(ATTRIBUTE_TO_PARAM), 'analogy', 'width', 'height'];
  }

  #frame = null;
  #fallback = null;
  #helloTimer = 0;
  #heard = false;
  #resizeObserver = null;
  #onMessage = (event) => this.#receive(event);

  #lesson = null; // { value } of a lesson sent by message (inline or fetched from the course page), or null

  connectedCallback() {
    if (!this.#frame) this.#render();
    window.addEventListener('message', this.#onMessage);
    this.#resizeObserver?.observe(this);
    // An element upgraded while the page is still being parsed has no children yet: its inline lesson comes later.
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', () => this.#update(), { once: true });
    else this.#update();
  }

  disconnectedCallback() {
    window.removeEventListener('message', this.#onMessage);
    this.#resizeObserver?.disconnect();
    clearTimeout(this.#helloTimer);
  }

  attributeChangedCallback() {
    if (this.#frame) this.#update();
  }

  #render() {
    // A shadow root keeps the host page's styles off the widget, and hides
    // the author's fallback children (shown only if this script never ran).
    const root = this.attachShadow({ mode: 'open' });
    // CSSOM styles only: a style attribute or <style> would need
    // 'unsafe-inline' in the host page's CSP.
    this.style.display = 'block';
    this.style.position = 'relative';
    this.style.maxWidth = '100%';
    this.#frame = document.createElement('iframe');
    this.#frame.title = t.explorerFrameTitle;
    this.#frame.loading = 'lazy';
    Object.assign(this.#frame.style, { border: '0', width: '100%', height: '100%', display: 'block' });
    this.#frame.addEventListener('load', () => this.#frameLoaded());
    this.#fallback = buildFallback();
    root.append(this.#frame, this.#fallback.box);
    this.#resizeObserver = new ResizeObserver(() => this.#applySize());
  }

  /**
   * The lesson this element sends its iframe itself: the inline <script
   * type="application/json"> child, or a lesson attribute naming a full URL
   * on another origin than the explorer's (the course page's own file,
   * which the iframe may not fetch). null: none, or the iframe loads it.
   */
  #messagedLesson() {
    const named = this.getAttribute('lesson')?.trim();
    if (named) {
      let url = null;
      try {
        url = /^[a-z][a-z0-9+.-]*:/i.test(named) ? new URL(named) : null;
      } catch {
        url = null;
      }
      if (!url || url.origin === explorerBase.origin) return null;
      return { fetch: url.href };
    }
    const script = [...this.children].find((child) => child instanceof HTMLScriptElement && child.type.trim().toLowerCase() === 'application/json');
    if (!script) return null;
    const text = script.textContent ?? '';
    try {
      return { value: JSON.parse(text) };
    } catch {
      return { value: text }; // the embed's lesson check says what is wrong with it, where the author sees it
    }
  }

  async #sendLesson() {
    const lesson = this.#lesson;
    if (!lesson || !this.#frame?.contentWindow) return;
    let value = lesson.value;
    if (lesson.fetch) {
      try {
        const response = await fetch(lesson.fetch, { credentials: 'same-origin' });
        value = response.ok ? await response.text() : t.courseLessonAnswered(lesson.fetch, response.status);
      } catch (error) {
        value = t.courseLessonUnfetched(lesson.fetch, error?.message ?? error);
      }
    }
    this.#frame.contentWindow.postMessage({ type: LESSON_MESSAGE_TYPE, lesson: value }, explorerBase.origin);
  }

  #update() {
    const params = paramsFromAttributes(this);
    this.#lesson = this.#messagedLesson();
    if (this.#lesson) params.set('lesson', INLINE_LESSON);
    const query = params.toString() ? `?${params}` : '';
    const src = new URL(`./embed.html${query}`, explorerBase).href;
    // The full explorer on its own has no host page to send it a lesson.
    const fullParams = new URLSearchParams(params);
    if (this.#lesson) fullParams.delete('lesson');
    this.#fallback.link.href = new URL(`./index.html${fullParams.toString() ? `?${fullParams}` : ''}`, explorerBase).href;
    this.#applySize();
    if (this.#frame.src !== src) {
      this.#heard = false;
      clearTimeout(this.#helloTimer);
      this.#setState('loading');
      this.#frame.src = src;
    }
  }

  #applySize() {
    const width = this.getAttribute('width');
    this.style.width = width ? cssSize(width) : '100%';
    const height = this.getAttribute('height');
    if (height) {
      this.style.height = cssSize(height);
    } else {
      const narrow = this.getBoundingClientRect().width < NARROW_BELOW_PX;
      this.style.height = `${narrow ? DEFAULT_HEIGHT.narrow : DEFAULT_HEIGHT.wide}px`;
    }
  }

  #frameLoaded() {
    if (this.#heard) return;
    clearTimeout(this.#helloTimer);
    this.#helloTimer = window.setTimeout(() => {
      if (!this.#heard) this.#setState('failed', notAnsweringDetail());
    }, HELLO_GRACE_MS);
  }

  #receive(event) {
    if (!this.#frame || event.source !== this.#frame.contentWindow) return;
    const data = event.data;
    if (data?.type === PROGRESS_MESSAGE_TYPE && event.origin === explorerBase.origin) {
      this.dispatchEvent(new CustomEvent(PROGRESS_EVENT, { detail: data, bubbles: true, composed: true }));
      return;
    }
    if (!data || data.type !== EMBED_MESSAGE_TYPE) return;
    this.#heard = true;
    clearTimeout(this.#helloTimer);
    if (data.state === 'starting') this.#sendLesson();
    if (data.state === 'failed') this.#setState('failed', String(data.message ?? ''));
    else this.#setState(data.state === 'ready' ? 'ready' : 'starting');
  }

  /** loading (no word from the page yet), starting, ready or failed; the fallback shows for loading and failed. */
  #setState(state, detail = '') {
    showFallback(this.#fallback, state, detail);
    // Lets a host page (and the tests) tell a working widget from a failed one.
    this.dataset.state = state;
  }
}

if (!customElements.get('embedding-explorer')) customElements.define('embedding-explorer', EmbeddingExplorerElement);
