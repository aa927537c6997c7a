// The points drawn: the n most frequent words, then every word the answer
// or a word group needs that is not among them. Always ids; words are
// turned into ids by the worker before they get here.

// Extra points kept from earlier answers, at most (the base has thousands).
const STICKY_EXTRAS = 400;

export class PointSet {
  constructor() {
    this.baseIds = []; // the most frequent words, in frequency order
    this.baseLabels = [];
    this.ids = [];
    this.labels = [];
    this.indexOfId = new Map();
    this.displayOf = new Map(); // id -> readable form of a token (subword vocabularies)
    this.wordOf = new Map(); // id -> the token itself, as queries and links name it
    this.extras = []; // ids drawn beyond the base, oldest first
    this.only = null; // a Set of ids: an isolated selection draws only these (selection-tools.js)
  }

  /** The frequent words from the worker's topWords answer. */
  setBase({ ids, words, labels }) {
    this.baseIds = ids;
    this.baseLabels = labels ?? words;
    ids.forEach((id, i) => {
      this.wordOf.set(id, words[i]);
      if (labels) this.displayOf.set(id, labels[i]);
    });
  }

  /** Remembers how to label points: [{ id, word, display? }]. */
  learnLabels(items) {
    for (const item of items) {
      if (!(item.id >= 0)) continue;
      this.wordOf.set(item.id, item.word);
      // An input word comes without its readable form ("Ġcat"): it must not replace one the base or a result brought.
      if (item.display !== undefined || !this.displayOf.has(item.id)) this.displayOf.set(item.id, item.display ?? item.word);
    }
  }

  /**
   * Makes the set the base (at most `limit` of it) plus `extraIds`; returns
   * true if the ids changed (a new layout is needed), false if only the
   * highlights can change. Words an earlier answer added stay drawn (up to
   * STICKY_EXTRAS of them), so a query whose words are all drawn already
   * keeps the layout (a t-SNE run is not restarted for it). The extras
   * always stay; the base gives way when the total would pass `limit`.
   * sticky: false draws only `extraIds` beyond the base (the analogy view).
   */
  update(extraIds, { limit = Infinity, sticky = true } = {}) {
    const fresh = extraIds.filter((id) => Number.isInteger(id) && id >= 0);
    const kept = [...new Set([...(sticky ? this.extras : []), ...fresh])];
    const wanted = kept.length <= STICKY_EXTRAS ? kept : [...new Set(fresh)];
    this.extras = wanted;
    const inBase = new Set(this.baseIds);
    const outside = wanted.filter((id) => !inBase.has(id)).length;
    const baseCount = this.baseIds.length + outside <= limit ? this.baseIds.length : Math.max(0, limit - wanted.length);
    const ids = this.baseIds.slice(0, baseCount);
    const labels = this.baseLabels.slice(0, baseCount);
    const seen = new Set(ids);
    for (const id of wanted) {
      if (seen.has(id)) continue;
      seen.add(id);
      ids.push(id);
      labels.push(this.displayOf.get(id) ?? String(id));
    }
    if (this.only) {
      let kept = 0;
      for (let i = 0; i < ids.length; i++) if (this.only.has(ids[i])) [ids[kept], labels[kept++]] = [ids[i], labels[i]];
      ids.length = labels.length = kept;
    }
    const changed = ids.length !== this.ids.length || ids.some((id, i) => id !== this.ids[i]);
    this.ids = ids;
    this.labels = labels.map((label, i) => this.displayOf.get(ids[i]) ?? label);
    this.indexOfId = new Map(ids.map((id, i) => [id, i]));
    return changed;
  }

  /** Forgets everything: a new table has other ids. */
  clear() {
    Object.assign(this, new PointSet());
  }

  indexOf(id) {
    return this.indexOfId.get(id);
  }

  get count() {
    return this.ids.length;
  }
}
