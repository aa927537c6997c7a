// Bookmarks (issue 9 §4): named views, saved from the page, opened again
// through the store as a link would open them (view-snapshot.js), renamed,
// reordered and deleted with the keyboard as with the mouse. The list lives
// in three places: the URL's bm= parameter (so a shared link carries it,
// while it is short enough), this browser's localStorage (so the page keeps
// it), and an exported JSON file that any page can import.
import { $, downloadFile, el } from './dom.js';
import { t } from '../i18n/strings.js';
import {
  MAX_BOOKMARKS,
  MAX_NAME_LENGTH,
  SnapshotError,
  applySnapshot,
  bookmarksDocument,
  decodeBookmarks,
  describeView,
  encodeBookmarks,
  parseBookmarks,
  sameSnapshot,
  snapshotView,
  tableMismatch,
} from './view-snapshot.js';

export const BOOKMARKS_PARAM = 'bm';
export const STORAGE_KEY = 'embedding-explorer:bookmarks';
// Browsers take URLs of megabytes, but servers commonly refuse requests over
// 8 KB and chat and mail programs cut long links: past this many characters
// the bookmarks leave the URL (the view stays in it), and the panel says so.
export const MAX_URL_CHARS = 6000;
export const EXPORT_FILE_NAME = 'embedding-explorer-bookmarks.json';

const fieldsText = (view) => Object.entries(view).map(([key, value]) => `${key}=${value}`).join(', ') || t.defaultView;

export class BookmarksPanel {
  /** readTable(): { name, rows, dims } of the table the page shows, or null while it is not known. */
  constructor({ store, readTable }) {
    this.store = store;
    this.readTable = readTable;
    this.bookmarks = [];
    this.renaming = -1;
    this.urlWrites = 0;
    this.panel = $('bookmarks-panel');
    this.nameInput = $('bookmark-name');
    this.nameInput.maxLength = MAX_NAME_LENGTH;
    $('bookmark-save-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.save(this.nameInput.value);
    });
    $('bookmarks-export').addEventListener('click', () => this.exportFile());
    $('bookmarks-import').addEventListener('change', (event) => {
      const file = event.target.files?.[0];
      if (file) this.importFile(file).finally(() => (event.target.value = ''));
    });
    let shown = null;
    store.subscribe((state) => {
      const view = snapshotView(state);
      if (shown && sameSnapshot(view, shown)) return;
      shown = view;
      this.nameInput.placeholder = describeView(state);
      this.#markCurrent();
    });
    this.nameInput.placeholder = describeView(store.get());
    // Back/Forward brings an entry whose bm= is older than the list: the list stays, and the URL says so.
    addEventListener('popstate', () => this.#writeUrl());
    /** Resolves once the link's or this browser's bookmarks are shown. */
    this.ready = this.#loadInitial();
  }

  // ---- the learner's actions ------------------------------------------------------

  save(typedName) {
    const state = this.store.get();
    const name = typedName.trim() || describeView(state);
    if (this.bookmarks.length >= MAX_BOOKMARKS) return this.#fail(t.tooManyBookmarks(MAX_BOOKMARKS));
    this.bookmarks.push({ name, view: snapshotView(state) });
    this.nameInput.value = '';
    this.#changed(t.bookmarkSaved(name));
  }

  open(index) {
    const bookmark = this.bookmarks[index];
    if (!bookmark) return;
    applySnapshot(this.store, bookmark.view);
    this.#say(t.bookmarkOpened(bookmark.name));
  }

  rename(index, typedName) {
    const name = typedName.trim();
    if (!name) return this.#fail(t.bookmarkNeedsName);
    const old = this.bookmarks[index].name;
    this.bookmarks[index] = { ...this.bookmarks[index], name };
    this.renaming = -1;
    this.#changed(t.bookmarkRenamed(old, name), { focus: [index, 'rename'] });
  }

  move(index, by) {
    const to = index + by;
    if (to < 0 || to >= this.bookmarks.length) return;
    const [bookmark] = this.bookmarks.splice(index, 1);
    this.bookmarks.splice(to, 0, bookmark);
    // Focus stays on the button pressed, unless the move disabled it (now first or last).
    const edge = (by < 0 && to === 0) || (by > 0 && to === this.bookmarks.length - 1);
    this.#changed(t.bookmarkMoved(bookmark.name, to + 1, this.bookmarks.length), { focus: [to, edge ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down'] });
  }

  remove(index) {
    const [bookmark] = this.bookmarks.splice(index, 1);
    const next = Math.min(index, this.bookmarks.length - 1);
    this.#changed(t.bookmarkDeleted(bookmark.name), { focus: next >= 0 ? [next, 'open'] : null });
    if (next < 0) this.nameInput.focus();
  }

  exportFile() {
    const doc = bookmarksDocument(this.bookmarks, this.readTable());
    downloadFile(EXPORT_FILE_NAME, new Blob([`${JSON.stringify(doc, null, 2)}\n`], { type: 'application/json' }));
    this.#say(t.bookmarksExported(this.bookmarks.length, EXPORT_FILE_NAME));
  }

  /** Adds a file's bookmarks after this list's (those already here are not doubled); a bad file changes nothing. */
  async importFile(file) {
    const keep = t.nothingImported(this.bookmarks.length);
    let parsed;
    try {
      parsed = parseBookmarks(await file.text(), t.theFile(file.name));
    } catch (error) {
      return this.#fail(`${error instanceof SnapshotError ? error.message : t.fileUnreadable(file.name, error?.message ?? error)} ${keep}`);
    }
    const known = (b) => this.bookmarks.some((o) => o.name === b.name && sameSnapshot(o.view, b.view));
    const fresh = parsed.bookmarks.filter((b) => !known(b));
    if (this.bookmarks.length + fresh.length > MAX_BOOKMARKS) {
      return this.#fail(`${t.importWouldExceed(file.name, this.bookmarks.length + fresh.length, MAX_BOOKMARKS)} ${keep}`);
    }
    this.bookmarks.push(...fresh);
    const already = parsed.bookmarks.length - fresh.length;
    const mismatch = tableMismatch(parsed.table, this.readTable());
    this.#changed(`${t.bookmarksImported(fresh.length, file.name, already)}${mismatch ? ` ${mismatch}` : ''}`);
  }

  // ---- where the list is kept --------------------------------------------------------

  async #loadInitial() {
    const fromLink = new URLSearchParams(location.search).get(BOOKMARKS_PARAM);
    if (fromLink) {
      try {
        this.bookmarks = await decodeBookmarks(fromLink);
        this.panel.open = true; // the sender meant them to be seen
        this.#render();
        return this.#say(t.bookmarksCameWithLink(this.bookmarks.length));
      } catch (error) {
        this.#fail(t.linkBookmarksShownInstead(error.message));
      }
    }
    let stored = null;
    try {
      stored = localStorage.getItem(STORAGE_KEY);
    } catch {
      // Storage refused (a private window's policy): the list lives in the URL only.
    }
    if (stored) {
      try {
        const { bookmarks, table } = parseBookmarks(stored, t.storedBookmarksSubject);
        this.bookmarks = bookmarks;
        const mismatch = tableMismatch(table, this.readTable());
        if (mismatch) this.#say(mismatch);
      } catch (error) {
        // They stay in storage until the list is changed, in case a newer page wrote them.
        this.#fail(t.storedBookmarksNotShown(error.message));
      }
    }
    this.#render();
    if (fromLink || stored) this.#writeUrl();
  }

  #changed(message, { focus = null } = {}) {
    this.#render(focus);
    this.#say(message);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(bookmarksDocument(this.bookmarks, this.readTable())));
    } catch (error) {
      this.#fail(t.bookmarksNotStored(error?.message ?? error));
    }
    return this.#writeUrl();
  }

  /** Puts the list in the URL's bm= (replacing, not adding, a history entry), or takes it out if too long. */
  async #writeUrl() {
    const ticket = ++this.urlWrites;
    const value = this.bookmarks.length ? await encodeBookmarks(this.bookmarks) : '';
    if (ticket !== this.urlWrites) return; // a newer list is being written
    const tooLong = value.length > MAX_URL_CHARS;
    const params = new URLSearchParams(location.search);
    if (value && !tooLong) params.set(BOOKMARKS_PARAM, value);
    else params.delete(BOOKMARKS_PARAM);
    const search = params.toString() ? `?${params}` : '';
    if (search !== location.search) history.replaceState(history.state, '', `${location.pathname}${search}${location.hash}`);
    const note = $('bookmarks-link-note');
    note.hidden = !tooLong;
    note.textContent = tooLong
      ? t.bookmarksTooLongForLink(this.bookmarks.length, value.length, MAX_URL_CHARS)
      : '';
    this.panel.dataset.urlChars = String(value.length);
  }

  // ---- drawing -------------------------------------------------------------------------

  #render(focus = null) {
    const list = $('bookmarks-list');
    list.replaceChildren(...this.bookmarks.map((bookmark, index) => (index === this.renaming ? this.#renameRow(bookmark, index) : this.#row(bookmark, index))));
    $('bookmarks-empty').hidden = this.bookmarks.length > 0;
    $('bookmarks-export').disabled = this.bookmarks.length === 0;
    this.#markCurrent();
    if (focus) list.children[focus[0]]?.querySelector(`[data-action="${focus[1]}"]`)?.focus();
  }

  #row(bookmark, index) {
    const name = t.quotedName(bookmark.name);
    const last = this.bookmarks.length - 1;
    return el(
      'li',
      { class: 'bookmark', dataset: { index: String(index) } },
      el('button', { type: 'button', class: 'bookmark-open', dataset: { action: 'open' }, onclick: () => this.open(index) }, el('span', { class: 'visually-hidden' }, t.openSpoken), bookmark.name),
      el('span', { class: 'bookmark-fields' }, fieldsText(bookmark.view)),
      el(
        'span',
        { class: 'bookmark-actions' },
        el('button', { type: 'button', class: 'small', dataset: { action: 'rename' }, 'aria-label': t.renameLabel(name), onclick: () => this.#startRename(index) }, t.rename),
        el('button', { type: 'button', class: 'small', dataset: { action: 'up' }, 'aria-label': t.moveUpLabel(name), disabled: index === 0, onclick: () => this.move(index, -1) }, '↑'),
        el('button', { type: 'button', class: 'small', dataset: { action: 'down' }, 'aria-label': t.moveDownLabel(name), disabled: index === last, onclick: () => this.move(index, 1) }, '↓'),
        el('button', { type: 'button', class: 'small', dataset: { action: 'delete' }, 'aria-label': t.deleteLabel(name), onclick: () => this.remove(index) }, t.delete),
      ),
    );
  }

  #renameRow(bookmark, index) {
    const input = el('input', { type: 'text', value: bookmark.name, maxlength: String(MAX_NAME_LENGTH), autocomplete: 'off', class: 'bookmark-rename-input' });
    const cancel = () => {
      this.renaming = -1;
      this.#render([index, 'rename']);
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        cancel();
      }
    });
    const form = el(
      'form',
      { class: 'row wrap bookmark-rename', onsubmit: (event) => (event.preventDefault(), this.rename(index, input.value)) },
      el('label', {}, t.newNameFor(bookmark.name), input),
      el('button', { type: 'submit', class: 'small' }, t.saveName),
      el('button', { type: 'button', class: 'small', onclick: cancel }, t.cancel),
    );
    return el('li', { class: 'bookmark renaming', dataset: { index: String(index) } }, form);
  }

  #startRename(index) {
    this.renaming = index;
    this.#render();
    const input = $('bookmarks-list').querySelector('.bookmark-rename-input');
    input?.focus();
    input?.select();
  }

  /** The bookmark the page shows now, if any, is marked (for the eye and for screen readers). */
  #markCurrent() {
    const view = snapshotView(this.store.get());
    for (const row of $('bookmarks-list').children) {
      const bookmark = this.bookmarks[Number(row.dataset.index)];
      const current = Boolean(bookmark && sameSnapshot(bookmark.view, view));
      row.classList.toggle('current', current);
      if (current) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }
  }

  #say(message) {
    $('bookmarks-error').hidden = true;
    $('bookmarks-status').textContent = message;
  }

  #fail(message) {
    const error = $('bookmarks-error');
    error.textContent = message;
    error.hidden = false;
  }
}
