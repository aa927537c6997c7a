// Frame timing for the benchmarks: the intervals between consecutive
// rendered frames (what the user sees) and the main-thread time of each
// (layers + render submit), in two ring buffers.

const FRAME_HISTORY = 600;

export class FrameStats {
  constructor(capacity = FRAME_HISTORY) {
    this._capacity = capacity;
    this._intervals = new Float64Array(capacity);
    this._work = new Float64Array(capacity);
    this._count = 0;
    this._lastRenderStamp = -1;
  }

  /**
   * A frame was rendered at `time` (the animation-loop timestamp) and took
   * `work` ms. previousTickRendered: whether the tick before also rendered;
   * only back-to-back rendered frames measure the frame rate, or the first
   * frame after an idle stretch would record the idle time.
   */
  record(time, work, previousTickRendered) {
    if (previousTickRendered && this._lastRenderStamp >= 0) {
      const k = this._count % this._capacity;
      this._intervals[k] = time - this._lastRenderStamp;
      this._work[k] = work;
      this._count++;
    }
    this._lastRenderStamp = time;
  }

  intervals() {
    return this._history(this._intervals);
  }

  workTimes() {
    return this._history(this._work);
  }

  reset() {
    this._count = 0;
    this._lastRenderStamp = -1;
  }

  _history(ring) {
    const count = Math.min(this._count, this._capacity);
    const out = new Float64Array(count);
    const first = this._count - count;
    for (let j = 0; j < count; j++) out[j] = ring[(first + j) % this._capacity];
    return out;
  }
}
