import { LANGUAGES, t, type Language } from '../i18n';
import { h } from './dom';

/**
 * A labelled list of the interface's languages, each named in itself
 * ("Deutsch", not "German"), so a reader finds their own whatever is shown.
 * A footer, so it sits in a landmark of its own below the page's main part.
 */
export function languagePicker(current: Language, onChange: (language: Language) => void): HTMLElement {
  const select = h(
    'select',
    { id: 'language', name: 'language' },
    ...Object.entries(LANGUAGES).map(([code, catalogue]) =>
      h('option', { value: code, lang: catalogue.locale, selected: code === current }, catalogue.languageName),
    ),
  );
  select.addEventListener('change', () => onChange(select.value as Language));
  return h('footer', { className: 'language-picker' }, h('label', { for: 'language' }, t().app.language), ' ', select);
}
