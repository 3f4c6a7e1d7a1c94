// @ts-check
// Progressive enhancement only: every page works without this script.
// 1. Booking calendars: when the URL names no zone, reload once in the browser's zone (Intl).
// 2. Day, month and clock links swap the calendar in place instead of reloading the page.
// 3. Zone pickers apply on change; the sign-up zone defaults to the browser's.
// No decision here depends on the browser's clock: "today" and the free times come from the server.

const browserZone = () => {
  try { return Intl.DateTimeFormat().resolvedOptions().timeZone || null; } catch { return null; }
};

/** @param {string} href */
async function swapPicker(href, push = true) {
  const current = document.getElementById('picker');
  if (!current) { location.href = href; return; }
  current.setAttribute('aria-busy', 'true');
  try {
    const response = await fetch(href, { headers: { Accept: 'text/html' } });
    if (!response.ok) { location.href = href; return; }
    const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
    const next = doc.getElementById('picker');
    if (!next) { location.href = href; return; }
    current.replaceWith(next);
    if (push) history.pushState({ picker: true }, '', href);
    keepLengthLinks(href);
    enhance();
    const heading = next.querySelector('#slots-label');
    const firstSlot = next.querySelector('.slot');
    if (firstSlot instanceof HTMLElement && new URL(href, location.href).searchParams.has('date')) firstSlot.focus();
    else if (heading instanceof HTMLElement) { heading.tabIndex = -1; heading.focus(); }
  } catch {
    location.href = href;
  }
}

/** The meeting-length links (outside the picker) follow the day, month, zone and clock shown in it. @param {string} href */
function keepLengthLinks(href) {
  const shown = new URL(href, location.href).searchParams;
  for (const link of document.querySelectorAll('.lengths a')) {
    if (!(link instanceof HTMLAnchorElement)) continue;
    const url = new URL(link.href);
    for (const key of ['date', 'month', 'tz', 'h12']) {
      const value = shown.get(key);
      if (value) url.searchParams.set(key, value); else url.searchParams.delete(key);
    }
    link.href = url.toString();
  }
}

function enhance() {
  for (const link of document.querySelectorAll('#picker a[data-nav]')) {
    if (!(link instanceof HTMLAnchorElement) || link.dataset.enhanced) continue;
    link.dataset.enhanced = '1';
    link.addEventListener('click', (event) => {
      if (event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      swapPicker(link.href);
    });
  }
  for (const select of document.querySelectorAll('select[data-zone-select]')) {
    if (!(select instanceof HTMLSelectElement) || select.dataset.enhanced) continue;
    select.dataset.enhanced = '1';
    select.addEventListener('change', () => {
      const form = select.form;
      if (!form) return;
      const params = new URLSearchParams(/** @type {any} */ (new FormData(form)));
      swapPicker(`${form.action.split('?')[0]}?${params.toString()}`);
    });
  }
}

function detectZone() {
  const picker = document.getElementById('picker');
  const zone = browserZone();
  if (picker && zone && !picker.dataset.zoneGiven) {
    const url = new URL(location.href);
    if (!url.searchParams.has('tz')) {
      url.searchParams.set('tz', zone);
      url.searchParams.delete('month');
      swapPicker(url.toString(), false).then(() => history.replaceState(null, '', url.toString()));
    }
  }
  for (const select of document.querySelectorAll('select[data-detect-zone]')) {
    if (!(select instanceof HTMLSelectElement) || !zone || select.value !== 'UTC') continue;
    // ICU may answer with a zone's old name (Asia/Calcutta); the list holds the current one (Asia/Kolkata).
    let aliases = {};
    try { aliases = JSON.parse(select.dataset.zoneAliases || '{}'); } catch { aliases = {}; }
    const listed = /** @type {Record<string, string>} */ (aliases)[zone] || zone;
    if ([...select.options].some((o) => o.value === listed)) select.value = listed;
  }
  // "Sign up with Google" carries the browser's zone to a new account (the server checks it).
  for (const link of document.querySelectorAll('a[data-detect-zone-link]')) {
    if (!(link instanceof HTMLAnchorElement) || !zone) continue;
    const url = new URL(link.href);
    url.searchParams.set('tz', zone);
    link.href = url.toString();
  }
}

window.addEventListener('popstate', () => { if (document.getElementById('picker')) swapPicker(location.href, false); });
enhance();
detectZone();

// 4. The language picker (booking pages) applies on change, keeping what the page shows now (day, zone, clock).
for (const select of document.querySelectorAll('select[data-lang-select]')) {
  if (!(select instanceof HTMLSelectElement)) continue;
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    url.searchParams.set('lang', select.value);
    location.href = url.toString();
  });
}
