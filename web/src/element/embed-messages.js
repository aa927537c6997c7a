// The one message the embed page sends to the page around it, so that the
// <embedding-explorer> element can tell a working explorer from an error
// page it cannot read (the iframe is cross-origin):
//   { type: EMBED_MESSAGE_TYPE, state: 'starting' | 'ready' | 'failed', message?: string }
// 'starting' is sent as soon as the embed page's script runs, 'ready' once
// it has answered its query, 'failed' with the reason if the table did not
// load. It carries no user data, so it is posted to any origin.
export const EMBED_MESSAGE_TYPE = 'embedding-explorer:state';
