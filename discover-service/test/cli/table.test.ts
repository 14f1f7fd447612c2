import t from 'tap';
import { formatAge, formatTable } from '../../src/cli/table.js';

t.test('columns are padded to their widest line, two spaces apart, no trailing spaces', async (t) => {
  const text = formatTable(['A', 'LONG HEADER', 'C'], [
    ['x', 'y', ['one', 'two lines']],
    ['wider cell', '', []],
  ]);
  t.equal(
    text,
    [
      'A           LONG HEADER  C',
      'x           y            one',
      '                         two lines',
      'wider cell',
      '',
    ].join('\n'),
  );
});

t.test('ages read like kubectl', async (t) => {
  t.same([0, 59_000, 119_000, 120_000, 7_199_000, 7_200_000, 172_800_000, -5].map(formatAge), ['0s', '59s', '119s', '2m', '119m', '2h', '2d', '0s']);
});
