// @ts-check
// Progressive enhancement for read-only fields holding a link (the private calendar feed): a "Copy" button.
// Without this script the button stays hidden and the field's text can still be selected and copied by hand.

for (const button of document.querySelectorAll('button[data-copy]')) {
  if (!(button instanceof HTMLButtonElement)) continue;
  const field = document.getElementById(button.dataset.copy ?? '');
  if (!(field instanceof HTMLInputElement)) continue;
  const status = document.querySelector(`[data-copy-status="${field.id}"]`);
  const selectAll = () => field.select();
  field.addEventListener('focus', selectAll);
  field.addEventListener('click', selectAll); // the click's mouseup would otherwise undo the selection made on focus
  button.hidden = false;
  button.addEventListener('click', async () => {
    let copied = false;
    try {
      await navigator.clipboard.writeText(field.value); // absent outside secure contexts: fall back below
      copied = true;
    } catch {
      field.focus();
      try { copied = document.execCommand('copy'); } catch { copied = false; }
    }
    // A page may give the words in its language (data-copied, data-copy-manual on the status).
    const words = status instanceof HTMLElement ? status.dataset : {};
    if (status) status.textContent = copied ? (words.copied ?? 'Copied.') : (words.copyManual ?? 'The link is selected: press Ctrl+C (⌘C on a Mac) to copy it.');
  });
}
