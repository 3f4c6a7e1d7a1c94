// @ts-check
/*
 * Kairos embed (issue #18; docs/adr/0018-embedding.md): a host's booking pages on the host's own site. No build step:
 *
 *   <script src="https://kairos.example.com/embed.js" async></script>
 *   <div data-kairos-inline data-url="https://kairos.example.com/ada/intro"></div>      inline
 *   <a href="https://kairos.example.com/ada/intro" data-kairos-popup>Book a call</a>     pop-up (a plain link without JS)
 *   <div data-kairos-floating data-url="https://kairos.example.com/ada" data-text="Book a call"></div>   floating button
 *
 * or from a script: Kairos.inline({url, parent}), Kairos.popup({url}), Kairos.floatingButton({url, text}), each taking
 * `prefill: {name, email, guests, answers: {<question id>: value}}`, `utm: {utm_source, ...}` (the page's own utm_*
 * parameters are passed on by default) and `onEvent(type, detail)`. Events: `kairos:page_loaded`,
 * `kairos:date_selected`, `kairos:booking_created` ({booking: {id, status, start_time, end_time, meeting_type}}),
 * dispatched as DOM CustomEvents that bubble to `window`. The booking page's own messages reach `window` too
 * (`message` events from the Kairos origin, `data.kairos === 1`). The host's site must be listed in Kairos under
 * Profile → Embed on your website, or the browser refuses the frame.
 */
(function () {
  'use strict';
  const w = /** @type {any} */ (window);
  if (w.Kairos && w.Kairos.version) return;

  const current = document.currentScript;
  const kairosOrigin = current instanceof HTMLScriptElement && current.src ? new URL(current.src, location.href).origin : location.origin;
  const UTM = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'];
  const EVENTS = ['kairos:page_loaded', 'kairos:date_selected', 'kairos:booking_created'];

  /**
   * @typedef {{ url: string, parent?: Element | string | null, prefill?: { name?: string, email?: string,
   *   guests?: string | string[], answers?: Record<string, string | string[]> }, utm?: Record<string, string>,
   *   onEvent?: (type: string, detail: unknown) => void, title?: string, minHeight?: number, text?: string,
   *   color?: string, textColor?: string }} Options
   * @typedef {{ iframe: HTMLIFrameElement, origin: string, target: Element, onEvent?: Options['onEvent'],
   *   autoResize: boolean, seen: Set<string> }} Frame
   */
  /** @type {Frame[]} */
  const frames = [];

  /** The framed page: the booking page URL with embed=1, the prefill and the utm_* parameters. @param {Options} options */
  function frameUrl(options) {
    const url = new URL(String(options.url || ''), kairosOrigin);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Kairos: url must be an http(s) booking page');
    url.searchParams.set('embed', '1');
    const prefill = options.prefill || {};
    if (prefill.name) url.searchParams.set('name', prefill.name);
    if (prefill.email) url.searchParams.set('email', prefill.email);
    if (prefill.guests) url.searchParams.set('guests', [].concat(/** @type {any} */ (prefill.guests)).join(', '));
    for (const [id, value] of Object.entries(prefill.answers || {})) {
      for (const one of [].concat(/** @type {any} */ (value))) url.searchParams.append(`answers[${id}]`, String(one));
    }
    // The visitor's zone, so the calendar opens in it at once (the page would otherwise reload itself into it).
    try {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && !url.searchParams.has('tz')) url.searchParams.set('tz', zone);
    } catch {
      // no Intl zone: the page detects it itself
    }
    const page = new URLSearchParams(location.search);
    for (const key of UTM) {
      const value = (options.utm && options.utm[key]) || page.get(key);
      if (value && !url.searchParams.has(key)) url.searchParams.set(key, value);
    }
    return url;
  }

  /** @param {Options} options @param {Element} target @param {boolean} autoResize */
  function createFrame(options, target, autoResize) {
    const url = frameUrl(options);
    const iframe = document.createElement('iframe');
    iframe.src = url.toString();
    iframe.title = options.title || 'Book a meeting';
    Object.assign(iframe.style, { display: 'block', width: '100%', border: '0', height: `${options.minHeight || 700}px` });
    frames.push({ iframe, origin: url.origin, target, onEvent: options.onEvent, autoResize, seen: new Set() });
    return iframe;
  }

  window.addEventListener('message', (event) => {
    const frame = frames.find((f) => f.iframe.contentWindow === event.source);
    // Only our frames, and only while they show a Kairos page: a frame navigated elsewhere is not believed.
    if (!frame || event.origin !== frame.origin) return;
    const data = event.data;
    if (!data || data.kairos !== 1 || typeof data.type !== 'string') return;
    const detail = data.payload && typeof data.payload === 'object' ? data.payload : {};
    if (data.type === 'kairos:height') {
      const height = Number(detail.height);
      if (frame.autoResize && height > 0 && height < 20000) frame.iframe.style.height = `${Math.ceil(height)}px`;
      return;
    }
    if (!EVENTS.includes(data.type)) return;
    if (data.type === 'kairos:booking_created') {
      const id = String(detail.booking && detail.booking.id);
      if (frame.seen.has(id)) return; // the confirmation page reloaded: one event per booking
      frame.seen.add(id);
    }
    const target = frame.target.isConnected ? frame.target : document;
    target.dispatchEvent(new CustomEvent(data.type, { detail, bubbles: true }));
    if (typeof frame.onEvent === 'function') frame.onEvent(data.type, detail);
  });

  /** @param {Element | string | null | undefined} parent */
  function elementOf(parent) {
    const found = typeof parent === 'string' ? document.querySelector(parent) : parent;
    if (!(found instanceof Element)) throw new Error('Kairos.inline: parent must be an element or a selector');
    return found;
  }

  /** The booking page in the page's flow, as tall as its content. @param {Options} options */
  function inline(options) {
    const parent = elementOf(options.parent);
    parent.setAttribute('data-kairos-ready', '');
    const iframe = createFrame(options, parent, true);
    parent.replaceChildren(iframe);
    return iframe;
  }

  /** @type {{ overlay: HTMLElement, close: () => void } | null} */
  let open = null;

  function closePopup() {
    if (open) open.close();
  }

  /** The booking page in a dialog over the site; Escape, the Close button or a click outside closes it. @param {Options} options */
  function popup(options) {
    closePopup();
    const before = document.activeElement;
    const overflow = document.documentElement.style.overflow;
    const overlay = document.createElement('div');
    overlay.setAttribute('data-kairos-overlay', '');
    Object.assign(overlay.style, {
      position: 'fixed', inset: '0', zIndex: '2147483000', background: 'rgba(15, 20, 30, .65)', display: 'flex',
      flexDirection: 'column', alignItems: 'center', justifyContent: 'center', padding: '12px',
    });
    const dialog = document.createElement('div');
    dialog.setAttribute('role', 'dialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-label', options.title || 'Book a meeting');
    Object.assign(dialog.style, {
      width: '100%', maxWidth: '1040px', height: 'min(88vh, 820px)', display: 'flex', flexDirection: 'column', gap: '8px',
    });
    const close = document.createElement('button');
    close.type = 'button';
    close.textContent = 'Close ×';
    Object.assign(close.style, {
      alignSelf: 'flex-end', font: '600 15px/1.2 system-ui, sans-serif', color: '#fff', background: 'transparent',
      border: '1px solid rgba(255, 255, 255, .7)', borderRadius: '8px', padding: '6px 12px', cursor: 'pointer',
    });
    const frame = createFrame(options, dialog, false);
    Object.assign(frame.style, { height: '100%', flex: '1 1 auto', background: '#fff', borderRadius: '10px' });
    dialog.append(close, frame);
    overlay.append(dialog);
    document.body.append(overlay);
    document.documentElement.style.overflow = 'hidden';
    /** @param {KeyboardEvent} event */
    const onKey = (event) => {
      if (event.key === 'Escape') closePopup();
    };
    const state = {
      overlay,
      close() {
        document.removeEventListener('keydown', onKey);
        overlay.remove();
        document.documentElement.style.overflow = overflow;
        const i = frames.findIndex((f) => f.iframe === frame);
        if (i >= 0) frames.splice(i, 1);
        open = null;
        if (before instanceof HTMLElement) before.focus();
      },
    };
    open = state;
    close.addEventListener('click', closePopup);
    overlay.addEventListener('click', (event) => {
      if (event.target === overlay) closePopup();
    });
    document.addEventListener('keydown', onKey);
    close.focus();
    return { close: closePopup, iframe: frame };
  }

  /** A button fixed in the corner of the site that opens the pop-up. @param {Options} options */
  function floatingButton(options) {
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = options.text || 'Book a meeting';
    button.setAttribute('data-kairos-floating-button', '');
    Object.assign(button.style, {
      position: 'fixed', right: '20px', bottom: '20px', zIndex: '2147482999', background: options.color || '#1f5fbf',
      color: options.textColor || '#fff', border: '0', borderRadius: '999px', padding: '12px 22px',
      font: '600 16px/1.2 system-ui, sans-serif', boxShadow: '0 4px 14px rgba(0, 0, 0, .25)', cursor: 'pointer',
    });
    button.addEventListener('click', () => popup(options));
    document.body.append(button);
    return button;
  }

  /** The markup forms: data-kairos-inline, data-kairos-popup (on a link or button), data-kairos-floating. */
  function init() {
    for (const el of document.querySelectorAll('[data-kairos-inline]:not([data-kairos-ready])')) {
      if (el instanceof HTMLElement && el.dataset.url) inline({ url: el.dataset.url, parent: el, title: el.dataset.title });
    }
    for (const el of document.querySelectorAll('[data-kairos-floating]:not([data-kairos-ready])')) {
      if (!(el instanceof HTMLElement) || !el.dataset.url) continue;
      el.setAttribute('data-kairos-ready', '');
      floatingButton({ url: el.dataset.url, text: el.dataset.text, color: el.dataset.color, textColor: el.dataset.textColor });
    }
  }
  document.addEventListener('click', (event) => {
    const trigger = event.target instanceof Element ? event.target.closest('[data-kairos-popup]') : null;
    if (!(trigger instanceof HTMLElement)) return;
    const url = trigger.dataset.url || trigger.getAttribute('href');
    if (!url || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    popup({ url, title: trigger.dataset.title });
  });

  w.Kairos = { version: 1, inline, popup, closePopup, floatingButton, init };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
