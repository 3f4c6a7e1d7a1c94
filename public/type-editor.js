// @ts-check
// Progressive enhancement for the meeting type editor. Without this script the page is one form with every section
// (the nav's links jump to them), blank question rows to fill in, and a preview of the values it was rendered with.
// Here: the nav marks the section in view, questions get "Add a question" and "Remove" buttons, and the preview
// follows the form as it is typed (nothing is sent to the server until the form is saved).

const form = document.querySelector('form[data-type-editor]');
if (form instanceof HTMLFormElement) {
  sectionNav();
  questionRows(form);
  livePreview(form);
}

/** The nav link of the section being read gets aria-current. */
function sectionNav() {
  const nav = document.querySelector('[data-section-nav]');
  if (!(nav instanceof HTMLElement)) return;
  const links = [...nav.querySelectorAll('a[href^="#"]')].filter((a) => a instanceof HTMLAnchorElement);
  const sections = links.map((a) => document.getElementById(a.getAttribute('href')?.slice(1) ?? ''));
  let pending = false;
  const mark = () => {
    pending = false;
    const line = nav.getBoundingClientRect().bottom + 24;
    let current = 0;
    sections.forEach((s, i) => {
      if (s && s.getBoundingClientRect().top <= line) current = i;
    });
    // Scrolled to the very bottom, the last section counts, even when it is too short to reach the line.
    if (window.scrollY > 0 && window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 2) current = sections.length - 1;
    links.forEach((a, i) => (i === current ? a.setAttribute('aria-current', 'true') : a.removeAttribute('aria-current')));
  };
  const schedule = () => {
    if (!pending) requestAnimationFrame(mark);
    pending = true;
  };
  window.addEventListener('scroll', schedule, { passive: true });
  window.addEventListener('resize', schedule);
  mark();
}

/** "Add a question" copies the blank row of the template; each row's "Remove" takes it out of the form. */
function questionRows(/** @type {HTMLFormElement} */ form) {
  const list = form.querySelector('[data-question-list]');
  const template = form.querySelector('template[data-question-template]');
  const add = form.querySelector('[data-add-question]');
  if (!(list instanceof HTMLElement) || !(template instanceof HTMLTemplateElement) || !(add instanceof HTMLButtonElement)) return;
  const renumber = () => {
    [...list.querySelectorAll('[data-question]')].forEach((row, i) => {
      for (const n of row.querySelectorAll('[data-n]')) n.textContent = String(i + 1);
    });
  };
  const wire = (/** @type {Element} */ row) => {
    const remove = row.querySelector('[data-remove-question]');
    if (!(remove instanceof HTMLButtonElement)) return;
    remove.hidden = false;
    remove.addEventListener('click', () => {
      const next = row.nextElementSibling ?? row.previousElementSibling;
      row.remove();
      renumber();
      form.dispatchEvent(new Event('input')); // the preview follows
      const focus = next?.querySelector('input[data-q="label"]');
      if (focus instanceof HTMLElement) focus.focus();
      else add.focus();
    });
  };
  for (const row of list.querySelectorAll('[data-question]')) wire(row);
  add.hidden = false;
  add.addEventListener('click', () => {
    let next = 0;
    for (const input of form.querySelectorAll('input[name^="q_label_"]')) {
      const n = Number(input.getAttribute('name')?.slice('q_label_'.length));
      if (Number.isInteger(n) && n >= next) next = n + 1;
    }
    const html = template.innerHTML.replaceAll('__i__', String(next)).replaceAll('__n__', String(next + 1));
    list.insertAdjacentHTML('beforeend', html);
    const row = list.lastElementChild;
    if (!row) return;
    wire(row);
    renumber();
    const label = row.querySelector('input[data-q="label"]');
    if (label instanceof HTMLElement) label.focus();
  });
}

/** The preview card, rebuilt from the form a moment after each change. */
function livePreview(/** @type {HTMLFormElement} */ form) {
  const card = document.querySelector('[data-type-preview]');
  if (!(card instanceof HTMLElement)) return;
  const part = (/** @type {string} */ name) => /** @type {HTMLElement | null} */ (card.querySelector(`[data-preview="${name}"]`));
  const field = (/** @type {string} */ id) => /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | null} */ (document.getElementById(id));
  const value = (/** @type {string} */ id) => field(id)?.value.trim() ?? '';
  const checked = (/** @type {string} */ id) => /** @type {HTMLInputElement | null} */ (field(id))?.checked === true;
  const show = (/** @type {HTMLElement | null} */ el, /** @type {boolean} */ on) => {
    if (el) el.hidden = !on;
  };
  // The words in the host's language, rendered by the server on the card (English when absent).
  const words = card.dataset;
  const lengthLabel = (/** @type {number} */ m) => (words.length ?? '__m__ min').replace('__m__', String(m));
  const render = () => {
    const name = part('name');
    if (name) name.textContent = value('name') || (words.untitled ?? 'Untitled meeting');
    const duration = Number(value('duration_minutes'));
    const length = part('length');
    if (length) length.textContent = Number.isInteger(duration) && duration > 0 ? lengthLabel(duration) : '';
    const place = part('place');
    const select = field('location_type');
    if (place && select instanceof HTMLSelectElement) {
      const option = select.selectedOptions[0];
      const detail = value('location_value');
      const label = select.value && option ? option.text + (detail && !option.hasAttribute('data-conference') ? `: ${detail}` : '') : '';
      place.textContent = label ? ` · ${label}` : '';
    }
    const description = part('description');
    if (description) {
      description.textContent = value('description');
      show(description, value('description') !== '');
    }
    const lengths = part('lengths');
    if (lengths) {
      const picked = [...form.querySelectorAll('input[name="duration_options"]')]
        .filter((b) => b instanceof HTMLInputElement && b.checked)
        .map((b) => Number(/** @type {HTMLInputElement} */ (b).value));
      if (picked.length > 0 && Number.isInteger(duration) && duration > 0 && !picked.includes(duration)) picked.push(duration);
      picked.sort((a, b) => a - b);
      lengths.replaceChildren(
        ...picked.map((m) => {
          const li = document.createElement('li');
          li.className = m === duration ? 'length current' : 'length';
          li.textContent = lengthLabel(m);
          return li;
        }),
      );
      show(lengths, picked.length > 1);
    }
    show(part('request'), checked('requires_confirmation'));
    show(part('off'), !checked('is_active'));
    show(part('secret'), checked('is_secret'));
    const questions = part('questions');
    if (questions) {
      const fixed = [...questions.children].slice(0, 2);
      const asked = [...form.querySelectorAll('[data-question]')].flatMap((row) => {
        const label = row.querySelector('[data-q="label"]');
        const type = row.querySelector('[data-q="type"]');
        const required = row.querySelector('[data-q="required"]');
        if (!(label instanceof HTMLInputElement) || !label.value.trim()) return [];
        const li = document.createElement('li');
        const note = document.createElement('span');
        note.className = 'muted';
        const typeLabel = type instanceof HTMLSelectElement ? (type.selectedOptions[0]?.text ?? '') : '';
        note.textContent = `(${typeLabel}${required instanceof HTMLInputElement && required.checked ? (words.requiredSuffix ?? ', required') : ''})`;
        li.append(`${label.value.trim()} `, note);
        return [li];
      });
      questions.replaceChildren(...fixed, ...asked);
    }
    show(part('dirty'), true); // the form changed since the page was rendered
    const echo = document.querySelector('[data-slug-echo]');
    if (echo) echo.textContent = value('slug');
  };
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(render, 200);
  };
  form.addEventListener('input', later);
  form.addEventListener('change', later);
}
