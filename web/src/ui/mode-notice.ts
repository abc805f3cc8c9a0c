import { modeName, modeNotice, type RoomMode } from '../room-modes';
import { t } from '../i18n';
import { h } from './dom';

/**
 * What a room's mode tells people before they join (shown beside every
 * Join button): the mode's name and its notice. For an imposter room it is
 * the consent that a hidden AI plays among the people.
 */
export function modeNoticeElement(mode: RoomMode): HTMLElement {
  return h(
    'div',
    { className: `mode-notice mode-${mode}`, role: 'note', 'aria-label': t().modes.before },
    h('p', { className: 'mode-name' }, h('strong', {}, `${t().modes.label}: `), modeName(mode)),
    h('p', { className: 'mode-text' }, modeNotice(mode)),
  );
}
