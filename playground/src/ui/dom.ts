// Small DOM helpers shared by the page's panels.

/** The element with this id; a missing one is a bug in index.html, so it throws. */
export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`playground: no element #${id}`);
  return el as T;
}

/** Replaces a select's options with `values`, labelled by `label`. */
export function fillSelect<V extends string | number>(select: HTMLSelectElement, values: readonly V[], label: (v: V) => string = String): void {
  select.replaceChildren(
    ...values.map((v) => {
      const option = document.createElement('option');
      option.value = String(v);
      option.textContent = label(v);
      return option;
    }),
  );
}

/** A small text button. */
export function smallButton(text: string, title: string, enabled: boolean, onClick: () => void): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small';
  button.textContent = text;
  button.title = title;
  button.disabled = !enabled;
  button.addEventListener('click', onClick);
  return button;
}
