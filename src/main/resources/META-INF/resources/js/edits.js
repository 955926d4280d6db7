// Edits and deletes of messages (issue 13). An edit or a delete is a row of the room's sequence
// of its own (`{"type":"edit"|"delete","seq":…,"targetSeq":…}`); the message it changes keeps its
// seq, and history shows it in its current state (`editedAt`, `deleted: true`, no text once
// deleted). So a message row shows what it held when it was fetched, and a change is applied only
// when it is newer than that: an older page's events never undo what a row already shows.
//
// Pure functions, so that they are unit-tested without a DOM; room-view.js renders what they say.

/** Whether a frame of the room's sequence is an edit or delete event (not a message to show). */
export function isChange(frame) {
  return frame?.type === 'edit' || frame?.type === 'delete';
}

/**
 * What a message row shows, from a message frame. `asOf` is the highest seq the view held when it
 * got the frame: the frame already reflects every change up to there.
 * @returns {{text: string, edited: boolean, deleted: boolean, asOf: number}}
 */
export function initialState(message, asOf) {
  const deleted = message.deleted === true;
  return {
    text: deleted ? '' : (message.content ?? ''),
    edited: !deleted && Boolean(message.editedAt),
    deleted,
    asOf: Math.max(asOf, message.seq),
  };
}

/**
 * The row's state after a change event, or null when the event changes nothing: it is older than
 * what the row shows, or the message is deleted already (a delete is final).
 */
export function applyChange(state, change) {
  if (!isChange(change) || change.seq <= state.asOf || state.deleted) return null;
  if (change.type === 'delete') return { text: '', edited: false, deleted: true, asOf: change.seq };
  // An edit event read from history after the message was deleted carries no text: the delete
  // event that follows it says so; until then the row keeps its text.
  if (typeof change.content !== 'string') return { ...state, asOf: change.seq };
  return { text: change.content, edited: true, deleted: false, asOf: change.seq };
}

/** The line under a changed message's text, or '' for an unchanged one. */
export function stateLabel(state) {
  if (state.deleted) return 'message deleted';
  return state.edited ? '(edited)' : '';
}

/**
 * What the viewer may do with a message: edit their own; delete their own, or any message as the
 * room's owner or an admin (the server decides again). Nothing on a deleted message.
 * @param {{userId: string}} message
 * @param {{deleted: boolean}} state
 * @param {string} myId
 * @param {string|null} myRole 'owner', 'admin', 'member' or null
 */
export function messageActions(message, state, myId, myRole) {
  if (state.deleted) return { edit: false, delete: false };
  const own = String(message.userId) === String(myId);
  return { edit: own, delete: own || myRole === 'owner' || myRole === 'admin' };
}
