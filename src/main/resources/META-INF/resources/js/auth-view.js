// Log in and sign up. The API answers {"error": "..."}; the sentence names the field it is about
// ("email must be a valid email address"), so it is shown next to that field.
import { api } from './api.js';
import { h } from './dom.js';

/** The form field an API error sentence is about, or null when it names none or several. */
export function fieldOf(message, fieldNames) {
  const named = fieldNames.filter((name) => new RegExp(`\\b${name}\\b`, 'i').test(message));
  return named.length === 1 ? named[0] : null;
}

function field({ name, label, type = 'text', autocomplete, hint, required = true }) {
  const id = `f-${name}`;
  const input = h('input', {
    id, name, type, autocomplete, required,
    'aria-describedby': [hint && `${id}-hint`, `${id}-error`].filter(Boolean).join(' '),
  });
  const error = h('p', { id: `${id}-error`, class: 'field-error', hidden: true });
  return {
    name,
    input,
    error,
    el: h('div', { class: 'field' },
      h('label', { for: id }, label),
      input,
      hint && h('p', { id: `${id}-hint`, class: 'hint' }, hint),
      error),
  };
}

/**
 * A form whose submit calls `action(values)`; API errors land next to their field (or above the
 * button when they name no single field). Shared by the auth and room-creation forms.
 */
export function apiForm({ fields, submitLabel, busyLabel, action, className = 'card-form' }) {
  const parts = fields.map(field);
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const button = h('button', { type: 'submit', class: 'primary' }, submitLabel);
  const form = h('form', { class: className, novalidate: true }, parts.map((p) => p.el), formError, button);

  const clear = () => {
    for (const p of parts) {
      p.error.hidden = true;
      p.error.textContent = '';
      p.input.removeAttribute('aria-invalid');
    }
    formError.hidden = true;
    formError.textContent = '';
  };
  const show = (message) => {
    const name = fieldOf(message, parts.map((p) => p.name));
    const part = parts.find((p) => p.name === name);
    if (part) {
      part.error.textContent = message;
      part.error.hidden = false;
      part.input.setAttribute('aria-invalid', 'true');
      part.input.focus();
    } else {
      formError.textContent = message;
      formError.hidden = false;
    }
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clear();
    const missing = parts.find((p) => p.input.required && p.input.value.trim() === '');
    if (missing) {
      show(`${missing.name} is required`);
      return;
    }
    const values = Object.fromEntries(parts.map((p) => [p.name, p.input.value]));
    button.disabled = true;
    button.textContent = busyLabel;
    try {
      await action(values);
    } catch (e) {
      show(e.message);
    } finally {
      button.disabled = false;
      button.textContent = submitLabel;
    }
  });
  return { form, inputs: Object.fromEntries(parts.map((p) => [p.name, p.input])) };
}

/**
 * Logs in and checks that the browser kept the session cookie: a Secure cookie sent over plain
 * http to anything but localhost is dropped silently, and every later call would be a 401.
 */
async function logIn(email, password) {
  const login = await api.login(email.trim(), password);
  if (!(await api.me())) {
    throw new Error('Logged in, but this browser refused the session cookie. Huddle must be opened'
      + ' over https (or the server must not mark its cookie Secure).');
  }
  return login;
}

export function renderLogin(main, { onLoggedIn, notice }) {
  const { form } = apiForm({
    fields: [
      { name: 'email', label: 'Email', type: 'email', autocomplete: 'email' },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
    ],
    submitLabel: 'Log in',
    busyLabel: 'Logging in…',
    action: async ({ email, password }) => onLoggedIn(await logIn(email, password)),
  });
  main.replaceChildren(authPage('Log in to Huddle', form, notice,
    h('p', { class: 'switch' }, 'New here? ', h('a', { href: '#/signup' }, 'Create an account'))));
}

export function renderSignup(main, { onLoggedIn }) {
  const { form } = apiForm({
    fields: [
      { name: 'username', label: 'Username', autocomplete: 'username', hint: '3–20 letters, digits, _ or -' },
      { name: 'email', label: 'Email', type: 'email', autocomplete: 'email' },
      { name: 'password', label: 'Password', type: 'password', autocomplete: 'new-password', hint: 'At least 8 characters' },
    ],
    submitLabel: 'Create account',
    busyLabel: 'Creating account…',
    action: async ({ username, email, password }) => {
      await api.signup(username.trim(), email.trim(), password);
      onLoggedIn(await logIn(email, password));
    },
  });
  main.replaceChildren(authPage('Create your account', form, null,
    h('p', { class: 'switch' }, 'Have an account? ', h('a', { href: '#/login' }, 'Log in'))));
}

function authPage(title, form, notice, footer) {
  return h('div', { class: 'auth' },
    h('div', { class: 'brand' }, h('img', { src: 'favicon.svg', alt: '', width: 40, height: 40 }), h('span', {}, 'Huddle')),
    h('section', { class: 'card', 'aria-labelledby': 'auth-title' },
      h('h1', { id: 'auth-title' }, title),
      notice && h('p', { class: 'notice', role: 'status' }, notice),
      form,
      footer));
}
