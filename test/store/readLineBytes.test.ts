import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLines } from '../../src/store/index.ts';
import { readLineBytes } from '../../src/store/readLineBytes.ts';
import { makeTempDir } from '../util.ts';

const tmp = makeTempDir('munnin-linebytes-');
after(() => tmp.remove());
let n = 0;
const file = (content: string | Buffer): string => {
  const path = join(tmp.dir, `f${++n}`);
  writeFileSync(path, content);
  return path;
};

interface Seen {
  text: string;
  number: number;
  terminated: boolean;
  bytesRead: number;
  overlong: number | undefined;
}

async function bytesLines(path: string, options: { chunkBytes?: number; maxLineChars?: number }): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const l of readLineBytes(path, options)) {
    out.push({ text: l.bytes.toString('utf8', l.start, l.end), number: l.number, terminated: l.terminated, bytesRead: l.bytesRead, overlong: l.overlongChars });
  }
  return out;
}

async function textLines(path: string, options: { chunkBytes?: number; maxLineChars?: number }): Promise<Seen[]> {
  const out: Seen[] = [];
  for await (const l of readLines(path, options)) out.push({ text: l.text, number: l.number, terminated: l.terminated, bytesRead: l.bytesRead, overlong: l.overlongChars });
  return out;
}

describe('readLineBytes', () => {
  it('splits as readLines does: CRLF, empty lines, multi-byte characters across chunks, a last line without newline', async () => {
    const path = file('\ufeffpremière ligne\r\nsecond\n\nlast without newline ünïcødé');
    const got = await bytesLines(path, { chunkBytes: 3 });
    // By hand: the byte-order mark dropped, the carriage return too.
    assert.deepEqual(
      got.map((l) => [l.number, l.text, l.terminated]),
      [
        [1, 'première ligne', true],
        [2, 'second', true],
        [3, '', true],
        [4, 'last without newline ünïcødé', false],
      ],
    );
  });

  it('agrees with readLines on odd files at every chunk size, overlong lines counted in characters', async () => {
    const contents: (string | Buffer)[] = [
      '',
      '\ufeff',
      '\ufeff\n',
      'a',
      '\n\n\n',
      'x\r\ny\r\n',
      'ab\rc\n',
      'short\n' + 'x'.repeat(40) + '\nshort again\n' + 'é'.repeat(15) + '\n' + 'é'.repeat(25) + '\n' + '€'.repeat(21) + '\r\nend',
      'é'.repeat(20) + '\r\n', // 40 bytes, 21 characters with its carriage return
      'y'.repeat(100),
      Buffer.from([0x61, 0xe2, 0x82, 0x0a, 0x62, 0xff, 0x0a, 0xef, 0xbb]), // invalid UTF-8, a cut-off byte-order mark at the end
      Buffer.from([0xef, 0xbb]), // only part of a byte-order mark
      '𝄞'.repeat(12) + '\n', // two UTF-16 units per character: 24 characters
    ];
    for (const content of contents) {
      const path = file(content);
      for (const chunkBytes of [1, 2, 3, 5, 7, 64, 1 << 20]) {
        const options = { chunkBytes, maxLineChars: 20 };
        assert.deepEqual(await bytesLines(path, options), await textLines(path, options), `${JSON.stringify(content.toString())} in chunks of ${chunkBytes}`);
      }
    }
  });

  it('reports an overlong line by its length in characters and keeps the lines around it', async () => {
    const path = file('ok\n' + 'é'.repeat(30) + '\nok too\n');
    const got = await bytesLines(path, { chunkBytes: 4, maxLineChars: 20 });
    assert.deepEqual(
      got.map((l) => [l.number, l.text, l.overlong]),
      [
        [1, 'ok', undefined],
        [2, '', 30],
        [3, 'ok too', undefined],
      ],
    );
  });
});
