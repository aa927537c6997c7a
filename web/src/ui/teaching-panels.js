// The full page's teaching panels beside the view: what makes two words
// similar, directions and neutralising, the neighbour navigator (issue 9),
// bookmarks, and building a lesson (issue 10). Each asks the worker on its
// own; the app only tells them when the answer or the table changes. A
// page without a panel's element (the embed) gets none of it.
import { AuthoringPanel } from '../lesson/authoring-panel.js';
import { BookmarksPanel } from './bookmarks-panel.js';
import { DirectionsPanel } from './directions-panel.js';
import { $ } from './dom.js';
import { NavigatorPanel } from './navigator-panel.js';
import { SimilarityPanel } from './similarity-panel.js';

/**
 * @param {{ client: object, store: object, actions: object, loadStatus: object, selection: object, pointSet: object,
 *   lessonPlayer: object }} app  selection, pointSet and lessonPlayer are read when used, not now
 */
export function setupTeachingPanels(app) {
  const { client, store, actions } = app;
  const readState = () => store.get();
  const on = (id, make) => ($(id) ? make() : null);
  return {
    similarity: on('similarity-panel', () => new SimilarityPanel({ client, readState })),
    directions: on('directions-panel', () => new DirectionsPanel({ client, readState, useSpace: (space) => actions.setting('space', space) })),
    navigator: on('navigator-panel', () => new NavigatorPanel({ client, store })),
    bookmarks: on('bookmarks-panel', () => new BookmarksPanel({ store, readTable: () => app.loadStatus.table })),
    authoring: on('authoring-panel', () => new AuthoringPanel({
      store,
      // The words boxed in the view become the step's highlighted words.
      readHighlight: () => app.selection.marked.map((id) => app.pointSet.wordOf.get(id)),
      play: (lesson, index) => app.lessonPlayer.play(lesson, index),
    })),
  };
}
