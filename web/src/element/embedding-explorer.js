// <embedding-explorer query="king - man + woman"></embedding-explorer>
//
// One script tag makes the widget available on any course page:
//   <script type="module" src=".../embedding-explorer.js"></script>
// The element hosts the embed page in an iframe next to this script, so
// the wasm core, its worker and the data come from the explorer's own
// origin and the host page needs nothing else (and no 'unsafe-eval').
// Attributes map to the page's URL parameters: query (q), analogy
// ("man king woman"), method, space, projection (proj), group, points (n), k.
const ATTRIBUTES = { query: 'q', method: 'method', space: 'space', projection: 'proj', group: 'group', points: 'n', k: 'k' };
// Resolved at run time next to this script, wherever the site is hosted.
const embedPage = new URL(/* @vite-ignore */ './embed.html', import.meta.url);

class EmbeddingExplorerElement extends HTMLElement {
  static get observedAttributes() {
    return [...Object.keys(ATTRIBUTES), 'analogy', 'width', 'height'];
  }

  connectedCallback() {
    if (!this.frame) {
      this.frame = document.createElement('iframe');
      this.frame.title = 'Embedding Space Explorer';
      this.frame.loading = 'lazy';
      // CSSOM styles, not a style attribute: allowed under a strict CSP.
      this.frame.style.border = '0';
      this.frame.style.width = '100%';
      this.frame.style.height = '100%';
      this.frame.style.display = 'block';
      this.style.display = 'block';
      this.append(this.frame);
    }
    this.#update();
  }

  attributeChangedCallback() {
    if (this.frame) this.#update();
  }

  #update() {
    const params = new URLSearchParams();
    for (const [attribute, parameter] of Object.entries(ATTRIBUTES)) {
      const value = this.getAttribute(attribute);
      if (value) params.set(parameter, value);
    }
    const analogy = this.getAttribute('analogy')?.trim().split(/\s+/);
    if (analogy?.length === 3) analogy.forEach((word, i) => params.set('abc'[i], word));
    const size = (value, fallback) => (!value ? fallback : /^\d+$/.test(value) ? `${value}px` : value);
    this.style.width = size(this.getAttribute('width'), '100%');
    this.style.height = size(this.getAttribute('height'), '420px');
    const src = `${embedPage.href}?${params}`;
    if (this.frame.src !== src) this.frame.src = src;
  }
}

if (!customElements.get('embedding-explorer')) customElements.define('embedding-explorer', EmbeddingExplorerElement);
