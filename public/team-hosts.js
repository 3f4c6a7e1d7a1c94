// @ts-check
// Progressive enhancement for the meeting type editor: the host checkboxes are listed per team so the form works
// without this script (the server checks that the ticked hosts belong to the chosen team). Here only the chosen
// team's members are shown, and the other groups are disabled so their ticks are not sent.

const select = document.querySelector('select[data-team-select]');
if (select instanceof HTMLSelectElement) {
  const groups = [...document.querySelectorAll('fieldset[data-team]')].filter((g) => g instanceof HTMLFieldSetElement);
  const noTeam = document.getElementById('hosts-no-team');
  const show = () => {
    for (const group of /** @type {HTMLFieldSetElement[]} */ (groups)) {
      const chosen = group.dataset.team === select.value;
      group.hidden = !chosen;
      group.disabled = !chosen;
    }
    if (noTeam) noTeam.hidden = select.value !== '';
  };
  select.addEventListener('change', show);
  show();
}
