// The 3D view from the keyboard. The container becomes one focusable
// widget (role="application": the keys below go to it, not to the screen
// reader's browse mode) with a label, a description of the keys, a visible
// focus outline and a polite live region that names the focused word.
//
//   arrows            orbit
//   + / - , PageUp / PageDown   zoom in / out
//   ] or N / [ or P   next / previous point: the marked points first
//                     (selected, answer, inputs, results, group words), then the rest
//   Enter             select the focused point (onSelect, as a click)
//   Escape            clear the focus
//   Home              reset the view

const ORBIT_STEP = Math.PI / 18; // 10 degrees per arrow press
const ZOOM_STEP = 0.85;
const FOCUS_OUTLINE = '3px solid #0072B2'; // Okabe-Ito blue: >= 3:1 against the plot's light background

export const KEY_HELP =
  'Arrow keys orbit (3D views; a 2D view stays flat), plus and minus zoom, N or ] and P or [ step through the words, the marked ones first, ' +
  'Enter selects the focused word, Escape clears the focus, Home resets the view.';

/** Visually hidden but read by screen readers (CSSOM only, for the CSP). */
function visuallyHidden(el) {
  Object.assign(el.style, {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: '0',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
    border: '0',
  });
  return el;
}

let uid = 0;

export class KeyboardNav {
  /**
   * plot: the ScatterPlot (rig, focus, select, order); listen: registers a
   * listener removed on dispose.
   */
  constructor(plot, listen) {
    this._plot = plot;
    const container = plot.container;
    const id = `scatter-plot-keys-${++uid}`;
    this.help = visuallyHidden(document.createElement('p'));
    this.help.id = id;
    this.help.textContent = KEY_HELP;
    this.live = visuallyHidden(document.createElement('div'));
    this.live.setAttribute('role', 'status');
    this.live.setAttribute('aria-live', 'polite');
    this.live.dataset.role = 'view-announcer';
    container.append(this.help, this.live);

    this._saved = ['tabindex', 'role', 'aria-label', 'aria-describedby', 'aria-roledescription'].map((name) => [name, container.getAttribute(name)]);
    container.tabIndex = 0;
    container.setAttribute('role', 'application');
    container.setAttribute('aria-roledescription', '3D scatter plot');
    if (!container.getAttribute('aria-label')) container.setAttribute('aria-label', '3D scatter plot of words');
    container.setAttribute('aria-describedby', id);

    listen(container, 'keydown', (e) => this._onKey(e));
    listen(container, 'focus', () => {
      // Keyboard focus only: a click on the canvas also focuses the container.
      if (container.matches(':focus-visible')) {
        container.style.outline = FOCUS_OUTLINE;
        container.style.outlineOffset = '-3px';
      }
    });
    listen(container, 'blur', () => {
      container.style.outline = '';
      container.style.outlineOffset = '';
    });
  }

  /** Says `text` in the live region (polite). */
  announce(text) {
    // Same text twice in a row would not be re-announced; clear first.
    if (this.live.textContent === text) this.live.textContent = '';
    this.live.textContent = text;
  }

  dispose() {
    this.help.remove();
    this.live.remove();
    const container = this._plot.container;
    for (const [name, value] of this._saved) {
      if (value === null) container.removeAttribute(name);
      else container.setAttribute(name, value);
    }
    container.style.outline = '';
  }

  _onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const plot = this._plot;
    const rig = plot.rig;
    let handled = true;
    switch (event.key) {
      case 'ArrowLeft':
        rig.orbit(-ORBIT_STEP, 0);
        break;
      case 'ArrowRight':
        rig.orbit(ORBIT_STEP, 0);
        break;
      case 'ArrowUp':
        rig.orbit(0, -ORBIT_STEP);
        break;
      case 'ArrowDown':
        rig.orbit(0, ORBIT_STEP);
        break;
      case '+':
      case '=':
      case 'PageUp':
        rig.zoom(ZOOM_STEP);
        break;
      case '-':
      case '_':
      case 'PageDown':
        rig.zoom(1 / ZOOM_STEP);
        break;
      case ']':
      case 'n':
      case 'N':
        plot.stepFocus(1);
        break;
      case '[':
      case 'p':
      case 'P':
        plot.stepFocus(-1);
        break;
      case 'Enter':
        if (plot.focused === null) handled = false;
        else plot._select(plot.focused);
        break;
      case 'Escape':
        if (plot.focused === null) handled = false;
        else plot.focusPoint(null);
        break;
      case 'Home':
        plot.resetView();
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  }
}
