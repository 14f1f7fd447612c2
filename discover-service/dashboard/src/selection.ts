/** What the detail panel shows; kept in the URL fragment so a view can be linked and the back button works. */
export type Selection =
  | { kind: 'none' }
  | { kind: 'node'; id: string }
  | { kind: 'edge'; from: string; to: string };

export const NO_SELECTION: Selection = Object.freeze({ kind: 'none' });

/** `#node=shop%2Fweb` or `#edge=shop%2Fweb&to=shop%2Ftomcat`; anything else selects nothing. */
export function parseSelection(hash: string): Selection {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const node = params.get('node');
  if (node !== null && node !== '') return { kind: 'node', id: node };
  const from = params.get('edge');
  const to = params.get('to');
  if (from !== null && from !== '' && to !== null && to !== '') return { kind: 'edge', from, to };
  return NO_SELECTION;
}

export function formatSelection(selection: Selection): string {
  switch (selection.kind) {
    case 'node':
      return `#${new URLSearchParams({ node: selection.id }).toString()}`;
    case 'edge':
      return `#${new URLSearchParams({ edge: selection.from, to: selection.to }).toString()}`;
    case 'none':
      return '';
  }
}
