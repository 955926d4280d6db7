// The message list's layout: a day separator before the first message of each day (in the
// viewer's time zone), and consecutive messages by the same author grouped under one name.
// Messages arrive out of order (older pages, gap fills), so the whole list is laid out again
// after each batch: cheap next to rendering them.
import { h } from './dom.js';

/** Messages by the same author further apart than this start a new group. */
export const GROUP_GAP_MS = 5 * 60 * 1000;

/** The viewer's local calendar day of an ISO time, as a comparable key; '' when unreadable. */
export function dayKey(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

/** "Today", "Yesterday", or the full date in the viewer's locale. */
export function dayLabel(iso, now = new Date()) {
  const key = dayKey(iso);
  if (key === dayKey(now.toISOString())) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  if (key === dayKey(yesterday.toISOString())) return 'Yesterday';
  return new Date(iso).toLocaleDateString(undefined, { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' });
}

/**
 * How to show each message given the message before it: whether a day separator goes before it,
 * and whether it continues the previous one's group (same author, same day, at most
 * GROUP_GAP_MS later, and no notice in between: `afterNotice`).
 * @param {{userId: string, sentAt: string, afterNotice?: boolean}[]} messages in display order
 * @returns {{separator: boolean, continued: boolean}[]}
 */
export function layout(messages) {
  return messages.map((m, i) => {
    const prev = i > 0 ? messages[i - 1] : null;
    const separator = !prev || dayKey(prev.sentAt) !== dayKey(m.sentAt);
    const gap = prev ? Date.parse(m.sentAt) - Date.parse(prev.sentAt) : Infinity;
    const continued = !separator && !prev.afterNotice && !m.afterNotice
      && prev.userId === m.userId && gap >= 0 && gap <= GROUP_GAP_MS;
    return { separator, continued };
  });
}

/**
 * Lays out the log element: removes the old day separators, inserts new ones, and marks grouped
 * messages `continued` (their author is then shown only to screen readers). A notice (join,
 * leave) between two messages ends the group.
 */
export function layoutLog(log, now = new Date()) {
  for (const el of log.querySelectorAll(':scope > li.day-separator')) el.remove();
  const items = [];
  let afterNotice = false;
  for (const el of log.children) {
    if (el.dataset.seq === undefined) {
      afterNotice = true;
      continue;
    }
    items.push({ el, userId: el.dataset.userId, sentAt: el.dataset.sentAt ?? '', afterNotice });
    afterNotice = false;
  }
  layout(items).forEach(({ separator, continued }, i) => {
    const { el, sentAt } = items[i];
    el.classList.toggle('continued', continued);
    if (separator && dayKey(sentAt) !== '') {
      el.before(h('li', { class: 'day-separator', role: 'separator' }, h('span', {}, dayLabel(sentAt, now))));
    }
  });
}
