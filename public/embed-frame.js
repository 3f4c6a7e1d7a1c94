// @ts-check
// A booking page inside a host's own site (?embed=1, issue #18; ADR 0018). It tells the embedding page (embed.js)
// its height, so the frame grows and shrinks with it, and what happened: the events the server rendered for this page
// (kairos:page_loaded, kairos:date_selected, kairos:booking_created). Messages go only to the host's embed origins,
// each named as the target origin: the browser delivers a message only when the parent is that origin, and the page's
// frame-ancestors lets no other origin frame it. Nothing secret is sent (never the management token or the URL).

const config = document.getElementById('kairos-embed');

if (config && window.parent !== window) {
  /** @type {string[]} */
  let origins = [];
  /** @type {Array<{type: string, payload: unknown}>} */
  let events = [];
  try {
    origins = JSON.parse(config.dataset.origins || '[]');
    events = JSON.parse(config.dataset.events || '[]');
  } catch {
    origins = [];
  }

  /** @param {string} type @param {unknown} payload */
  const post = (type, payload) => {
    for (const origin of origins) window.parent.postMessage({ kairos: 1, type, payload }, origin);
  };

  let lastHeight = 0;
  let queued = false;
  const sendHeight = () => {
    queued = false;
    const height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === lastHeight) return;
    lastHeight = height;
    post('kairos:height', { height });
  };
  const queueHeight = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(sendHeight);
  };
  new ResizeObserver(queueHeight).observe(document.body);
  window.addEventListener('load', queueHeight);
  sendHeight();
  for (const event of events) post(event.type, event.payload);
}
