// @ts-check
// Progressive enhancement for the availability editors (views/admin/availability.hbs). Without this script the
// "+ Add interval", "×" and "Copy to all weekdays" buttons post the form and the server re-renders it with the
// change; here they act at once, and a date picked on the override calendar fills the override form in place.

const DEFAULT = { start: '09:00', end: '17:00' };
const WEEKDAYS = ['1', '2', '3', '4', '5'];

/** "9" "9:30" "0930" "5:30 pm" → minutes of the day (24:00 = 1440), or null: the server's parseTime, for an end. */
function minutes(text) {
  const m = /^(\d{1,2})(?:[:.h]?(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$/i.exec(text.trim());
  if (!m) return null;
  let h = Number(m[1]);
  const min = Number(m[2] ?? '0');
  const half = m[3]?.toLowerCase()[0];
  if (half) {
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (half === 'p' ? 12 : 0);
  }
  const n = h * 60 + min;
  return min < 60 && n <= 24 * 60 ? n : null;
}
const clock = (n) => `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;

/** The interval "+ Add interval" appends: from the last one's end, an hour long (as the server does). */
function nextRow(rows) {
  const last = rows.at(-1);
  const from = last ? minutes(last.end) : null;
  if (from === null) return { ...DEFAULT };
  if (from >= 24 * 60) return { start: '', end: '' };
  return { start: clock(from), end: clock(Math.min(from + 60, 24 * 60)) };
}

/** One group of interval rows: a weekday (`d3_…`, "Wednesday") or the override form (`ov_…`, "Override"). */
class Rows {
  /** @param {HTMLElement} scope @param {string} prefix @param {string} name @param {(k: number) => string} removeValue */
  constructor(scope, prefix, name, removeValue) {
    this.scope = scope;
    this.prefix = prefix;
    this.name = name;
    this.removeValue = removeValue;
    this.list = /** @type {HTMLElement} */ (scope.querySelector('[data-intervals]'));
  }
  rowEls() {
    return /** @type {HTMLElement[]} */ ([...this.list.querySelectorAll('[data-row]')]);
  }
  values() {
    return this.rowEls().map((row) => {
      const [start, end] = /** @type {HTMLInputElement[]} */ ([...row.querySelectorAll('input.time')]);
      return { start: start.value, end: end.value };
    });
  }
  /** Replaces the rows with these values (at least one row stays, as the server renders it). */
  set(values) {
    const template = this.rowEls()[0];
    const wanted = values.length ? values : [{ ...DEFAULT }];
    for (const row of this.rowEls().slice(1)) row.remove();
    for (let k = 1; k < wanted.length; k++) this.list.append(template.cloneNode(true));
    this.rowEls().forEach((row, k) => {
      const [start, end] = /** @type {HTMLInputElement[]} */ ([...row.querySelectorAll('input.time')]);
      start.value = wanted[k].start;
      end.value = wanted[k].end;
    });
    this.renumber();
  }
  /** Ids, names, labels and buttons after rows came or went; a moved row loses the server's error marks. */
  renumber() {
    this.rowEls().forEach((row, k) => {
      const inputs = /** @type {HTMLInputElement[]} */ ([...row.querySelectorAll('input.time')]);
      const labels = [...row.querySelectorAll('label')];
      ['start', 'end'].forEach((part, i) => {
        const id = `${this.prefix}${part}_${k}`;
        if (inputs[i].id !== id) {
          inputs[i].removeAttribute('aria-invalid');
          const described = (inputs[i].getAttribute('aria-describedby') ?? '').split(' ').filter((x) => x && !x.endsWith('-error'));
          if (described.length) inputs[i].setAttribute('aria-describedby', described.join(' '));
          else inputs[i].removeAttribute('aria-describedby');
          for (const p of row.querySelectorAll(`.field-error[id^="${inputs[i].id}-"]`)) p.remove();
        }
        inputs[i].id = id;
        inputs[i].name = id;
        labels[i].htmlFor = id;
        const template = this.scope.dataset[part === 'start' ? 'labelFrom' : 'labelUntil'];
        labels[i].textContent = template
          ? template.replace('{n}', String(k + 1))
          : `${this.name.charAt(0).toUpperCase()}${this.name.slice(1)} interval ${k + 1} ${part === 'start' ? 'from' : 'until'}`;
      });
      const remove = /** @type {HTMLButtonElement} */ (row.querySelector('[data-remove]'));
      remove.value = this.removeValue(k);
      const removeLabel = this.scope.dataset.removeLabel;
      remove.setAttribute('aria-label', removeLabel ? removeLabel.replace('{n}', String(k + 1)) : `Remove ${this.name} interval ${k + 1}`);
    });
  }
  add() {
    const values = this.values();
    values.push(nextRow(values));
    this.set(values);
    /** @type {HTMLInputElement} */ (this.rowEls().at(-1)?.querySelector('input.time'))?.focus();
  }
  /** @returns {boolean} whether the last row went (the caller marks the day unavailable) */
  remove(row) {
    const values = this.values();
    const k = this.rowEls().indexOf(row);
    values.splice(k, 1);
    this.set(values);
    const focus = this.rowEls()[Math.max(0, k - 1)]?.querySelector('input.time');
    if (values.length && focus instanceof HTMLInputElement) focus.focus();
    return values.length === 0;
  }
}

const week = document.querySelector('form[data-hours-editor]');
if (week instanceof HTMLFormElement) {
  const status = week.querySelector('[data-hours-status]');
  /** The page's words for a status line (data-say-* in the host's language, `{day}` filled in), else English. */
  const message = (key, day, english) => week.dataset[key]?.replace('{day}', day) ?? english;
  const say = (text) => {
    if (status) status.textContent = text;
  };
  const days = new Map(
    [...week.querySelectorAll('fieldset.weekday')].map((f) => {
      const el = /** @type {HTMLElement} */ (f);
      const d = el.dataset.day ?? '';
      return [d, { el, rows: new Rows(el, `d${d}_`, el.dataset.name ?? '', (k) => `${d}_${k}`) }];
    }),
  );
  const tick = (el) => /** @type {HTMLInputElement} */ (el.querySelector('input.avail'));
  week.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    const fieldset = button?.closest('fieldset.weekday');
    const day = fieldset instanceof HTMLElement ? days.get(fieldset.dataset.day ?? '') : undefined;
    if (!button || !day) return;
    if (button.matches('[data-add]')) {
      event.preventDefault();
      day.rows.add();
      say(message('sayAdded', day.rows.name, `Added an interval on ${day.rows.name}.`));
    } else if (button.matches('[data-remove]')) {
      event.preventDefault();
      if (day.rows.remove(button.closest('[data-row]'))) {
        tick(day.el).checked = false;
        tick(day.el).focus();
        say(message('sayOff', day.rows.name, `${day.rows.name} is now unavailable.`));
      } else say(message('sayRemoved', day.rows.name, `Removed an interval on ${day.rows.name}.`));
    } else if (button.matches('[data-copy]')) {
      event.preventDefault();
      const values = day.rows.values();
      const on = tick(day.el).checked;
      for (const d of WEEKDAYS) {
        const target = days.get(d);
        if (!target || target === day) continue;
        target.rows.set(values);
        tick(target.el).checked = on;
      }
      say(message('sayCopied', day.rows.name, `Copied ${day.rows.name}'s hours to Monday to Friday.`));
    }
  });
}

const override = document.querySelector('form[data-override-editor]');
if (override instanceof HTMLFormElement) {
  const rows = new Rows(override, 'ov_', 'override', (k) => String(k));
  const date = /** @type {HTMLInputElement} */ (override.querySelector('#ov_date'));
  const kind = (value) => /** @type {HTMLInputElement} */ (override.querySelector(`input[name=ov_kind][value=${value}]`));
  override.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button') : null;
    if (!button) return;
    if (button.matches('[data-add]')) {
      event.preventDefault();
      rows.add();
    } else if (button.matches('[data-remove]')) {
      event.preventDefault();
      if (rows.remove(button.closest('[data-row]'))) kind('off').checked = true;
    }
  });
  const calendar = document.querySelector('.override-calendar');
  const select = (value) => {
    for (const a of calendar?.querySelectorAll('a.day.pick') ?? []) {
      const on = a instanceof HTMLElement && a.dataset.date === value;
      a.classList.toggle('selected', on);
      if (on) a.setAttribute('aria-current', 'date');
      else a.removeAttribute('aria-current');
    }
  };
  calendar?.addEventListener('click', (event) => {
    const a = event.target instanceof Element ? event.target.closest('a.day.pick') : null;
    if (!(a instanceof HTMLAnchorElement)) return;
    event.preventDefault();
    date.value = a.dataset.date ?? '';
    select(date.value);
    // A date with an override shows its hours to edit; another date starts as a day off.
    const stored = (a.dataset.intervals ?? '').split(',').filter(Boolean);
    kind(a.dataset.override === 'hours' ? 'hours' : 'off').checked = true;
    rows.set(stored.map((x) => ({ start: x.split('-')[0], end: x.split('-')[1] })));
    date.focus();
  });
  date.addEventListener('change', () => select(date.value));
}
