import type { ConfigError } from './api-types.js';
import { h, localTime, mount } from './dom.js';
import { adviseError } from './error-hints.js';

/** `/v1/errors` as a to-do list: the object, the path inside it, the reason and the next step. */
export function renderErrors(container: Element, errors: readonly ConfigError[]): void {
  const heading = h('h2', null, 'Configuration errors ', h('span', { class: errors.length > 0 ? 'count bad' : 'count' }, String(errors.length)));
  if (errors.length === 0) {
    mount(container, heading, h('p', { class: 'muted' }, 'None: every object was accepted.'));
    return;
  }
  mount(
    container,
    heading,
    h(
      'ol',
      { class: 'errors' },
      ...errors.map((error) => {
        const advice = adviseError(error);
        return h(
          'li',
          { class: 'error', 'data-error-object': advice.object },
          h('div', { class: 'error-head' }, h('span', { class: 'badge kind' }, error.kind), h('strong', null, advice.object), h('span', { class: 'muted since' }, `since ${localTime(error.since)}`)),
          advice.where === '' ? null : h('div', null, 'at ', h('code', { class: 'path' }, advice.where)),
          h('div', { class: 'reason' }, advice.reason),
          h('div', { class: 'action muted' }, advice.action),
        );
      }),
    ),
  );
}
