import { PersonSearch, type PersonSummary, type Timers } from '../people';
import { h, reconcile, setText } from './dom';
import { t } from '../i18n';

let pickers = 0;

/**
 * A text box that finds people by name as one types (a WAI-ARIA combobox
 * with a list box): arrows move through the people found, Enter or a click
 * chooses one, Escape closes the list. What is chosen is a user id; text
 * never becomes markup. Typing again after choosing clears the choice.
 */
export class PersonPicker {
  readonly input: HTMLInputElement;
  readonly element: HTMLDivElement;
  private readonly listbox: HTMLUListElement;
  private readonly status: HTMLParagraphElement;
  private readonly search: PersonSearch;
  private readonly id = `person-picker-${++pickers}`;
  private people: PersonSummary[] = [];
  private active = -1;
  private chosen: PersonSummary | undefined;

  constructor(
    options: {
      readonly inputId: string;
      readonly find: (query: string) => Promise<PersonSummary[]>;
      /** People not to offer (e.g. members of the room already). */
      readonly exclude?: () => ReadonlySet<string>;
      readonly timers?: Timers;
    },
  ) {
    this.input = h('input', {
      id: options.inputId,
      name: 'person',
      type: 'text',
      role: 'combobox',
      autocomplete: 'off',
      maxlength: 64,
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': `${this.id}-list`,
      'aria-describedby': `${this.id}-status`,
      placeholder: t().people.placeholder,
    });
    this.listbox = h('ul', { id: `${this.id}-list`, role: 'listbox', className: 'person-results', hidden: true, 'aria-label': t().people.found });
    this.status = h('p', { id: `${this.id}-status`, className: 'hint person-status', 'aria-live': 'polite' });
    this.element = h('div', { className: 'person-picker' }, this.input, this.listbox, this.status);
    this.search = new PersonSearch(
      options.find,
      (query, found) => {
        if (query !== this.input.value) return;
        if (found === 'failed') return this.show([], t().people.searchFailed);
        const excluded = options.exclude?.() ?? new Set<string>();
        const people = found.filter((p) => !excluded.has(p.userId));
        this.show(people, query.trim() === '' ? '' : people.length === 0 ? t().people.nobody : t().people.count(people.length));
      },
      options.timers,
    );
    this.input.addEventListener('input', () => {
      this.chosen = undefined;
      this.search.typed(this.input.value);
    });
    this.input.addEventListener('keydown', (event) => this.key(event));
    this.input.addEventListener('blur', () => this.close());
  }

  /** The person chosen, if any. */
  get value(): PersonSummary | undefined {
    return this.chosen;
  }

  reset(): void {
    this.search.cancel();
    this.chosen = undefined;
    this.input.value = '';
    this.show([], '');
  }

  private key(event: KeyboardEvent): void {
    const open = !this.listbox.hidden && this.people.length > 0;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!open) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.highlight((this.active + step + this.people.length) % this.people.length);
    } else if (event.key === 'Enter' && open && this.active >= 0) {
      // Enter chooses; the form is submitted by the next Enter or its button.
      event.preventDefault();
      this.choose(this.people[this.active]!);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      this.close();
    }
  }

  private show(people: PersonSummary[], status: string): void {
    this.people = people;
    this.active = -1;
    reconcile(
      this.listbox,
      people,
      (p) => p.userId,
      (person) =>
        h('li', {
          role: 'option',
          id: `${this.id}-${encodeURIComponent(person.userId)}`,
          className: 'person-option',
          'aria-selected': 'false',
          // mousedown, not click: choosing must happen before the input's blur closes the list.
          onmousedown: (event) => {
            event.preventDefault();
            this.choose(person);
          },
        }),
      (element, person) => {
        setText(element, person.displayName);
        element.title = person.userId;
      },
    );
    this.listbox.hidden = people.length === 0;
    this.input.setAttribute('aria-expanded', String(people.length > 0));
    this.input.removeAttribute('aria-activedescendant');
    setText(this.status, status);
  }

  private highlight(index: number): void {
    this.active = index;
    [...this.listbox.children].forEach((option, i) => option.setAttribute('aria-selected', String(i === index)));
    const option = this.listbox.children[index];
    if (option) this.input.setAttribute('aria-activedescendant', option.id);
  }

  private choose(person: PersonSummary): void {
    this.chosen = person;
    this.input.value = person.displayName;
    this.close();
    setText(this.status, t().people.chosen(person.displayName));
  }

  private close(): void {
    this.listbox.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }
}
