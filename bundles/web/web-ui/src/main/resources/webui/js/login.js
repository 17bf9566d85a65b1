// The login form: POST /api/session sets the session cookie and answers the user.
import { h, field } from './dom.js';
import { post } from './api.js';

export default function login(main, { t, onLogin }) {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const error = h('div', { class: 'form-error', 'aria-live': 'assertive' });
  const submit = h('button', { type: 'submit' }, t('login.submit'));
  const form = h('form', {
    class: 'card login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      error.replaceChildren();
      submit.disabled = true;
      try {
        const me = await post('/session', { username: user.value.trim(), password: pass.value });
        onLogin(me);
      } catch (e) {
        error.replaceChildren(h('p', { role: 'alert' }, e.status === 401 ? t('login.failed') : e.message));
        pass.value = '';
        pass.focus();
      } finally {
        submit.disabled = false;
      }
    },
  },
  h('p', {}, t('login.intro')),
  field(t('login.username'), user),
  field(t('login.password'), pass),
  error,
  submit);
  main.append(form);
  user.focus();
}
