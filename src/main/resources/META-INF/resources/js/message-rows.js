// The message rows of a room's log, with their edit and delete tools (the rules are in edits.js).
// Own messages get *Edit* (an inline form: Enter or *Save* sends `PATCH`, Escape or *Cancel* puts
// the text back) and *Delete* (a second click on *Confirm delete* sends `DELETE`); the room's owner
// and admins get *Delete* on every message. A refusal shows the server's sentence in the row.
import { api } from './api.js';
import { h, replace } from './dom.js';
import { contentProblem } from './room-connection.js';
import { applyChange, initialState, messageActions, stateLabel } from './edits.js';

/** How long *Confirm delete* waits for its second click. */
const CONFIRM_MS = 5000;

export class MessageRows {
  /** seq → {el, message, state, text, label, tools, error} */
  #rows = new Map();
  #role = null;

  /**
   * @param {{roomId: string, myId: string, timeEl: (iso: string) => Node}} o
   */
  constructor({ roomId, myId, timeEl }) {
    this.roomId = roomId;
    this.myId = myId;
    this.timeEl = timeEl;
  }

  /** A row for a message frame; `asOf` is the highest seq the view holds with it. */
  create(m, asOf) {
    const own = m.userId === this.myId;
    const text = h('p', { class: 'text' });
    const label = h('span', { class: 'msg-state' });
    const tools = h('span', { class: 'msg-tools' });
    const error = h('p', { class: 'form-error msg-error', role: 'alert', hidden: true });
    const el = h('li', { class: own ? 'msg own' : 'msg', dataset: { seq: m.seq, userId: m.userId, sentAt: m.sentAt ?? '' } },
      h('div', { class: 'meta' }, h('span', { class: 'author' }, m.username), this.timeEl(m.sentAt), label, tools),
      text, error);
    const row = { el, message: m, state: initialState(m, asOf), text, label, tools, error };
    this.#rows.set(m.seq, row);
    this.#render(row);
    return el;
  }

  /** An edit or delete event: applied to its row when newer than what the row shows. */
  apply(change) {
    const row = this.#rows.get(change.targetSeq);
    if (!row) return; // not loaded: when it is, the page shows its current state
    const next = applyChange(row.state, change);
    if (!next) return;
    row.state = next;
    this.#render(row);
  }

  /** The viewer's role in the room changed: owners and admins may delete every message. */
  setRole(role) {
    if (role === this.#role) return;
    this.#role = role;
    for (const row of this.#rows.values()) this.#renderTools(row);
  }

  #render(row) {
    row.el.classList.toggle('deleted', row.state.deleted);
    row.text.textContent = row.state.deleted ? stateLabel(row.state) : row.state.text;
    row.label.textContent = row.state.deleted ? '' : stateLabel(row.state);
    if (row.state.deleted) this.#showError(row, null);
    this.#renderTools(row);
  }

  #renderTools(row) {
    if (row.editing) return;
    const can = messageActions(row.message, row.state, this.myId, this.#role);
    const edit = can.edit && h('button', {
      type: 'button', class: 'link-button', dataset: { action: 'edit' }, 'aria-label': 'Edit this message',
    }, 'Edit');
    const del = can.delete && h('button', {
      type: 'button', class: 'link-button danger', dataset: { action: 'delete' }, 'aria-label': 'Delete this message',
    }, 'Delete');
    if (edit) edit.addEventListener('click', () => this.#startEdit(row));
    if (del) del.addEventListener('click', () => this.#confirmDelete(row, del));
    replace(row.tools, edit, del);
  }

  #showError(row, message) {
    row.error.textContent = message ?? '';
    row.error.hidden = !message;
  }

  async #send(row, request) {
    this.#showError(row, null);
    try {
      // The answer is the event itself: applied now, and once more (a no-op) when the room's
      // frame arrives.
      this.apply(await request());
      return true;
    } catch (e) {
      if (e.status !== 401) this.#showError(row, e.message);
      return false;
    }
  }

  #confirmDelete(row, button) {
    if (button.dataset.confirming) {
      button.disabled = true;
      this.#send(row, () => api.deleteMessage(this.roomId, row.message.seq))
        .finally(() => this.#renderTools(row));
      return;
    }
    button.dataset.confirming = 'true';
    button.textContent = 'Confirm delete';
    button.setAttribute('aria-label', 'Confirm delete');
    setTimeout(() => { if (button.isConnected && !button.disabled) this.#renderTools(row); }, CONFIRM_MS);
  }

  #startEdit(row) {
    row.editing = true;
    const input = h('textarea', {
      class: 'edit-input', rows: 2, 'aria-label': 'Edit message',
    });
    input.value = row.state.text;
    const save = h('button', { type: 'submit', class: 'primary small' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'secondary small' }, 'Cancel');
    const form = h('form', { class: 'edit-form', 'aria-label': 'Edit message' }, input, save, cancel);
    const done = () => {
      row.editing = false;
      form.replaceWith(row.text);
      this.#render(row);
    };
    const submit = async () => {
      const problem = contentProblem(input.value);
      if (problem) {
        this.#showError(row, problem);
        return;
      }
      if (input.value === row.state.text) {
        done();
        return;
      }
      save.disabled = true;
      const ok = await this.#send(row, () => api.editMessage(this.roomId, row.message.seq, input.value));
      save.disabled = false;
      if (ok) done();
    };
    form.addEventListener('submit', (event) => { event.preventDefault(); submit(); });
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape') {
        done();
      }
    });
    cancel.addEventListener('click', done);
    replace(row.tools);
    row.text.replaceWith(form);
    input.focus();
  }
}
