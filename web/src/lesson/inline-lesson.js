// A lesson written inline in a course page, inside the element:
//   <embedding-explorer><script type="application/json">{ … }</script></embedding-explorer>
// The element cannot hand it to its cross-origin iframe any other way, so
// it names lesson=inline in the iframe's URL and posts
//   { type: 'embedding-explorer:lesson', lesson }
// once the embed says it is starting. This small module is imported by the
// embed's entry (embed.js), so the listener is in place before that
// 'starting' message goes out; only the page around this one (its
// window.parent) is heard.
export const LESSON_MESSAGE_TYPE = 'embedding-explorer:lesson';
export const INLINE_LESSON = 'inline';

let received = null;

/** Starts listening (once); resolves to the lesson value the host page sent. */
export function listenForInlineLesson() {
  received ??= new Promise((resolve) => {
    if (window.parent === window) return; // no host page: nothing will come
    addEventListener('message', function onMessage(event) {
      if (event.source !== window.parent || event.data?.type !== LESSON_MESSAGE_TYPE) return;
      removeEventListener('message', onMessage);
      resolve(event.data.lesson);
    });
  });
  return received;
}
