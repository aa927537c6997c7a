// The neighbour navigator game (issue 9 §3): hop from a start word to a
// target word through nearest-10 lists in as few hops as you can. The
// worker builds the nearest-10 graph of the most frequent words once per
// table and space (navigator-handlers.js) and answers every hop with a
// breadth-first search in the core, so hints (the neighbours on a shortest
// path, the hops left) and the best path at the end are exact. A game is
// set by a link: nav=start:target, or navseed=S for a seeded puzzle; the
// game in play is written back to the URL so it can be shared.
import { Superseded } from '../compute/client.js';
import { Request } from '../compute/protocol.js';
import { $, el } from './dom.js';
import { t } from '../i18n/strings.js';

/** A link's seeded puzzle is this many hops apart (New game offers others). */
export const LINK_PUZZLE_HOPS = 4;

const hopsText = t.hops;

export class NavigatorPanel {
  /** store: the page's store (its nav, navseed and space). */
  constructor({ client, store }) {
    this.client = client;
    this.store = store;
    this.panel = $('navigator-panel');
    this.game = null; // { space, start, target, best, trail: [word], step, hints, seed, over }
    this.tableIsReady = false;
    this.serial = 0; // a newer start makes an older one's answers stale
    const { nav, navseed } = store.get();
    this.linked = linkKey(nav, navseed); // the link the game in play came from (or was written to)
    this.pendingLink = nav || navseed ? { nav, navseed } : null;
    if (this.pendingLink) {
      this.panel.open = true;
      this.#say(t.gameFromLinkWaits);
    }
    $('navigator-form').addEventListener('submit', (event) => {
      event.preventDefault();
      this.play({ start: $('navigator-start').value.trim(), target: $('navigator-target').value.trim() });
    });
    $('navigator-new').addEventListener('click', () => this.play({ seed: Number($('navigator-seed').value), hops: Number($('navigator-hops').value) }));
    $('navigator-undo').addEventListener('click', () => this.undo());
    $('navigator-hint').addEventListener('click', () => this.hint());
    $('navigator-give-up').addEventListener('click', () => this.finish(false));
    // Back and Forward (or a link followed in the page) may name another game.
    store.subscribe((state) => {
      const key = linkKey(state.nav, state.navseed);
      if (key === this.linked || !(state.nav || state.navseed)) return;
      this.linked = key;
      this.pendingLink = { nav: state.nav, navseed: state.navseed };
      this.panel.open = true;
      if (this.tableIsReady) this.#playLink();
    });
  }

  /** The whole table answers: a game from the link starts now. */
  tableReady() {
    this.tableIsReady = true;
    if (this.pendingLink) this.#playLink();
  }

  /** Another table is in: the game in play was over the old one's words. */
  tableChanged() {
    this.serial++;
    this.game = null;
    this.#render();
    this.#say(t.gameNewTable);
  }

  #playLink() {
    const { nav, navseed } = this.pendingLink;
    this.pendingLink = null;
    if (nav) {
      const [start, target] = nav.split(':');
      this.play({ start, target });
    } else this.play({ seed: Number(navseed), hops: LINK_PUZZLE_HOPS });
  }

  /**
   * Starts a game: typed words ({ start, target }) or a seeded puzzle ({ seed, hops }).
   * A game that cannot start (an unknown word, an unreachable target) leaves the one in play as it was.
   */
  async play({ start, target, seed, hops }) {
    const serial = ++this.serial;
    const stale = () => serial !== this.serial;
    const error = $('navigator-error');
    if (seed !== undefined && !(Number.isInteger(seed) && seed >= 1 && seed < 1e9)) return this.#fail(t.badSeed($('navigator-seed').value));
    if (seed === undefined && (!start || !target)) return this.#fail(t.typeStartAndTarget);
    if (seed === undefined && start.toLowerCase() === target.toLowerCase()) return this.#fail(t.sameStartAndTarget(start));
    error.hidden = true;
    try {
      const graph = await this.#graph(stale);
      if (!graph) return;
      if (seed !== undefined) {
        ({ start, target } = await this.client.call(Request.navigatorPick, { space: graph.space, hops, seed }, { channel: 'navigator' }));
      }
      const best = await this.client.call(Request.navigatorPath, { space: graph.space, start, target }, { channel: 'navigator' });
      if (stale()) return;
      if (best.hops === null) {
        return this.#fail(
          t.unreachable(best.target, best.start, graph.k, graph.words),
          { unreachable: true },
        );
      }
      const step = await this.client.call(Request.navigatorStep, { space: graph.space, word: best.start, target: best.target }, { channel: 'navigator' });
      if (stale()) return;
      this.game = { space: graph.space, start: best.start, target: best.target, best, trail: [best.start], step, hints: 0, hinted: false, seed, over: false };
      $('navigator-start').value = best.start;
      $('navigator-target').value = best.target;
      if (seed !== undefined) $('navigator-seed').value = String(seed + 1); // the next New game is another puzzle
      const nav = `${best.start}:${best.target}`;
      const navseed = seed === undefined ? undefined : String(seed);
      this.linked = linkKey(nav, navseed);
      this.store.set({ nav, navseed });
      this.#render();
    } catch (failure) {
      if (failure instanceof Superseded || stale()) return;
      this.#fail(t.cannotStartGame(failure.message));
    }
  }

  /** The graph for the page's current space: built on first use (with progress), then kept by the worker. */
  async #graph(stale) {
    const row = $('navigator-progress-row');
    const bar = $('navigator-progress');
    const slow = setTimeout(() => (row.hidden = false), 150); // a kept graph answers at once: no flash
    try {
      const graph = await this.client.call(Request.navigatorGraph, {}, {
        channel: 'navigator-graph',
        onProgress: ({ done, total }) => {
          bar.max = total;
          bar.value = done;
          $('navigator-progress-text').textContent = t.buildingGraph(done, total);
        },
      });
      if (stale()) return null;
      const how = graph.built ? t.graphBuiltNow(graph.seconds.toFixed(2)) : t.graphBuiltEarlier(graph.seconds.toFixed(2));
      $('navigator-graph').textContent = t.graphSummary(graph.words, graph.k, graph.space, how);
      this.panel.dataset.graphWords = String(graph.words);
      return graph;
    } finally {
      clearTimeout(slow);
      row.hidden = true;
    }
  }

  async hop(word) {
    const game = this.game;
    if (!game || game.over) return;
    if (!(await this.#moveTo([...game.trail, word]))) return;
    if (word === game.target) this.finish(true);
    else $('navigator-neighbors').querySelector('button')?.focus(); // the old buttons are gone: keep the keyboard in the list
  }

  undo() {
    const game = this.game;
    if (!game || game.over || game.trail.length < 2) return;
    this.#moveTo(game.trail.slice(0, -1));
  }

  async #moveTo(trail) {
    const game = this.game;
    let step;
    try {
      step = await this.client.call(Request.navigatorStep, { space: game.space, word: trail.at(-1), target: game.target }, { channel: 'navigator' });
    } catch (failure) {
      if (!(failure instanceof Superseded)) this.#fail(t.cannotHop(trail.at(-1), failure.message));
      return false;
    }
    if (this.game !== game) return false;
    Object.assign(game, { trail, step, hinted: false });
    $('navigator-error').hidden = true;
    this.#render();
    return true;
  }

  /** Marks the neighbours on a shortest path and says how many hops are left. */
  hint() {
    const game = this.game;
    if (!game || game.over || game.hinted) return;
    game.hints++;
    game.hinted = true;
    this.#render();
  }

  /** Ends the game: the learner's path beside the best one. */
  finish(reached) {
    const game = this.game;
    if (!game || game.over) return;
    game.over = true;
    game.reached = reached;
    this.#render();
    $('navigator-verdict').focus();
  }

  // ---- drawing ------------------------------------------------------------------

  #render() {
    const game = this.game;
    $('navigator-game').hidden = !game || game.over;
    $('navigator-end').hidden = !game?.over;
    this.panel.dataset.state = !game ? 'idle' : game.over ? 'over' : 'playing';
    if (!game) return;
    const taken = game.trail.length - 1;
    $('navigator-goal').textContent = t.gameGoal(game.start, game.target, game.space);
    if (game.over) return this.#renderEnd(game, taken);
    const { step } = game;
    $('navigator-current').textContent = t.gameCurrent(step.word, hopsText(taken), step.neighbors.length);
    $('navigator-hops-taken').textContent = String(taken);
    $('navigator-trail').replaceChildren(...game.trail.map((w) => el('li', {}, w)));
    const onBest = game.hinted && step.hopsLeft !== null ? step.hopsLeft - 1 : -1;
    $('navigator-neighbors').replaceChildren(
      ...step.neighbors.map((n) => {
        const best = n.hopsToTarget === onBest;
        const target = n.word === game.target;
        const button = el(
          'button',
          { type: 'button', class: `small navigator-hop${best ? ' on-best-path' : ''}${target ? ' is-target' : ''}`, dataset: { word: n.word }, onclick: () => this.hop(n.word) },
          n.word,
          target ? t.theTarget : null,
          best ? el('span', { class: 'visually-hidden' }, t.onShortestPath) : null,
          el('span', { class: 'navigator-cosine' }, n.cosine.toFixed(3)),
        );
        return el('li', {}, button);
      }),
    );
    $('navigator-undo').disabled = taken === 0;
    $('navigator-hint').disabled = game.hinted;
    const hintText = $('navigator-hint-text');
    hintText.dataset.hopsLeft = game.hinted ? String(step.hopsLeft ?? 'none') : '';
    if (!game.hinted) hintText.textContent = '';
    else if (step.hopsLeft === null) hintText.textContent = t.noChainLeft(step.word, game.target);
    else hintText.textContent = t.gameHint(game.target, hopsText(step.hopsLeft));
  }

  #renderEnd(game, taken) {
    const best = game.best.hops;
    const verdict = game.reached
      ? t.gameReached(game.target, hopsText(taken), best, taken === best)
      : t.gameStopped(game.trail.at(-1), hopsText(taken), game.start, hopsText(best));
    $('navigator-verdict').textContent = game.hints ? t.hintsUsed(verdict, game.hints) : verdict;
    $('navigator-end').dataset.taken = String(taken);
    $('navigator-end').dataset.best = String(best);
    const chain = (words) => words.map((w) => el('li', { dataset: { word: w } }, w));
    $('navigator-best').replaceChildren(...chain(game.best.path));
    $('navigator-yours').replaceChildren(...chain(game.trail));
  }

  #fail(message, { unreachable = false } = {}) {
    const error = $('navigator-error');
    error.textContent = message;
    error.dataset.unreachable = String(unreachable);
    error.hidden = false;
  }

  #say(text) {
    $('navigator-graph').textContent = text;
  }
}

const linkKey = (nav, navseed) => JSON.stringify([nav ?? null, navseed ?? null]);
