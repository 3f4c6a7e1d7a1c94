// @ts-check
// Progressive enhancement for the meeting types list: the on/off switch posts in the background and turns at once.
// Without this script each switch is a form that posts and comes back to the list (the copy buttons: copy-field.js).

for (const form of document.querySelectorAll('form[data-type-switch]')) {
  if (!(form instanceof HTMLFormElement)) continue;
  const button = form.querySelector('button[role="switch"]');
  const wanted = form.querySelector('input[name="is_active"]');
  const card = form.closest('[data-type-card]');
  const state = card?.querySelector('[data-type-state]');
  const status = card?.querySelector('[data-copy-status]');
  // The words in the host's language, rendered by the server on the list (English when absent).
  const words = /** @type {HTMLElement | null} */ (form.closest('[data-on]'))?.dataset ?? {};
  if (!(button instanceof HTMLButtonElement) || !(wanted instanceof HTMLInputElement)) continue;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    button.disabled = true;
    try {
      const res = await fetch(form.action, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(/** @type {any} */ (new FormData(form))),
        credentials: 'same-origin',
      });
      const answer = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(answer.message ?? words.failed ?? 'The switch could not be saved; please try again.');
      const on = answer.is_active === true;
      button.setAttribute('aria-checked', String(on));
      const text = button.querySelector('.switch-text');
      if (text) text.textContent = on ? (words.on ?? 'On') : (words.off ?? 'Off');
      wanted.value = on ? '0' : '1';
      card?.classList.toggle('off', !on);
      if (state) state.textContent = on ? (words.stateOn ?? 'open for booking') : (words.stateOff ?? 'off: the booking page is unavailable');
      if (status) status.textContent = on ? (words.turnedOn ?? 'Turned on.') : (words.turnedOff ?? 'Turned off.');
    } catch (error) {
      if (status) status.textContent = error instanceof Error ? error.message : String(error);
    } finally {
      button.disabled = false;
    }
  });
}
