// Recipient autocompletion for the compose form: an ARIA 1.2 combobox over the people of the user's ministry
// (/api/mail/recipients). Progressive enhancement: without script the fields stay plain text inputs.
const minimum = 2;

function currentToken(input) {
  const parts = input.value.split(',');
  return parts[parts.length - 1].trim();
}

function enhance(input) {
  if (input.dataset.comboboxReady) return;
  input.dataset.comboboxReady = 'true';
  const list = document.getElementById(input.getAttribute('aria-controls'));
  const status = document.getElementById(input.dataset.status);
  let options = [];
  let active = -1;
  let pending;

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('autocomplete', 'off');

  function close() {
    list.hidden = true;
    list.replaceChildren();
    options = [];
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  }

  function highlight(index) {
    active = index;
    options.forEach((option, i) => option.element.setAttribute('aria-selected', i === index ? 'true' : 'false'));
    if (index >= 0) input.setAttribute('aria-activedescendant', options[index].element.id);
    else input.removeAttribute('aria-activedescendant');
  }

  function pick(index) {
    const person = options[index].person;
    const parts = input.value.split(',');
    parts[parts.length - 1] = ` ${person.name} <${person.email}>`;
    input.value = parts.join(',').replace(/^\s+/, '') + ', ';
    close();
    input.focus();
  }

  function show(people) {
    list.replaceChildren();
    options = people.map((person, i) => {
      const element = document.createElement('li');
      element.id = `${list.id}-${i}`;
      element.setAttribute('role', 'option');
      element.setAttribute('aria-selected', 'false');
      element.textContent = `${person.name} <${person.email}>`;
      element.addEventListener('mousedown', event => { event.preventDefault(); pick(i); });
      list.append(element);
      return { person, element };
    });
    const open = options.length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', open ? 'true' : 'false');
    highlight(-1);
    if (status) status.textContent = (status.dataset.template || '{0}').replace('{0}', String(options.length));
  }

  input.addEventListener('input', () => {
    const token = currentToken(input);
    clearTimeout(pending);
    if (token.length < minimum) { close(); return; }
    pending = setTimeout(async () => {
      try {
        const response = await fetch(`/api/mail/recipients?q=${encodeURIComponent(token)}`, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
        if (!response.ok || currentToken(input) !== token) return;
        show(await response.json());
      } catch {
        close();
      }
    }, 150);
  });

  input.addEventListener('keydown', event => {
    if (list.hidden || options.length === 0) {
      if (event.key === 'ArrowDown' && currentToken(input).length >= minimum) input.dispatchEvent(new Event('input'));
      return;
    }
    switch (event.key) {
      case 'ArrowDown': event.preventDefault(); highlight((active + 1) % options.length); break;
      case 'ArrowUp': event.preventDefault(); highlight(active <= 0 ? options.length - 1 : active - 1); break;
      case 'Enter': if (active >= 0) { event.preventDefault(); pick(active); } break;
      case 'Escape': event.preventDefault(); close(); break;
      case 'Tab': close(); break;
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

function init() {
  document.querySelectorAll('input[data-recipients]').forEach(enhance);
}

init();
if (window.Blazor?.addEventListener) window.Blazor.addEventListener('enhancedload', init);
