import test from 'ava';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IsBoolean, IsDate, IsIn, IsInt, IsNumber, IsString } from 'class-validator';
import { CsvSource } from '@sluice/files';
import { tempDir, runSource } from '../helpers.js';

class Trade {
  @IsString()
  symbol!: string;

  @IsNumber()
  price!: number;

  @IsInt()
  size!: number;

  @IsIn(['buy', 'sell'])
  side!: string;
}

test('CsvSource › the header names the columns; types convert them; quoted fields keep delimiters, quotes and newlines', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'trades.csv');
  writeFileSync(
    path,
    '\uFEFFsymbol,price,size,ok,at,note\r\n' +
      'AAPL,190.5,100,true,2024-01-02T10:00:00Z,plain\r\n' +
      '\r\n' +
      'MSFT,410,5,FALSE,2024-01-02T10:00:01Z,"a, ""quoted""\nnote"\r\n',
  );
  const source = new CsvSource(path, {
    types: { price: 'number', size: 'integer', ok: 'boolean', at: 'date', note: (s) => s.toUpperCase() },
  });
  const { records, deadLetters } = await runSource(source);
  t.deepEqual(deadLetters, []);
  t.deepEqual(records, [
    { symbol: 'AAPL', price: 190.5, size: 100, ok: true, at: new Date('2024-01-02T10:00:00Z'), note: 'PLAIN' },
    { symbol: 'MSFT', price: 410, size: 5, ok: false, at: new Date('2024-01-02T10:00:01Z'), note: 'A, "QUOTED"\nNOTE' },
  ]);
  t.deepEqual(source.columnNames, ['symbol', 'price', 'size', 'ok', 'at', 'note']);
});

test('CsvSource › a delimiter option, and no header row with the columns given', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'semi.csv');
  writeFileSync(path, 'AAPL;190,5;100\nMSFT;"a;b";5\n');
  const { records } = await runSource(
    new CsvSource(path, { delimiter: ';', header: false, columns: ['symbol', 'price', 'size'], types: { size: 'integer' } }),
  );
  t.deepEqual(records, [
    { symbol: 'AAPL', price: '190,5', size: 100 },
    { symbol: 'MSFT', price: 'a;b', size: 5 },
  ]);
  t.throws(() => new CsvSource(path, { header: false }), { message: /columns/ });
  t.throws(() => new CsvSource(path, { delimiter: '::' }), { message: /option "delimiter" must be one character/ });
  t.throws(() => new CsvSource(path, { types: { price: 'float' as never } }), { message: /option "types" must map column names/ });
});

test('CsvSource › bad rows go to the dead letters naming the file, the line and what was wrong; the rest flows on', async (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'trades.csv');
  const rows = [
    'symbol,price,size,side', // 1
    'AAPL,190.5,100,buy', // 2 ok
    'AAPL,190.5,100', // 3 too few fields
    'AAPL,abc,100,buy', // 4 not a number
    'AAPL,190,1.5,buy', // 5 not an integer
    'AAPL,190,10,hold', // 6 fails validation
    'AAPL,"190,10,buy', // 7 unterminated quote... swallows the newline, so it spans to the end
  ];
  writeFileSync(path, rows.slice(0, 6).join('\n') + '\nXOM,118,7,sell\n' + rows[6] + '\n');
  const { records, deadLetters, stats } = await runSource(
    new CsvSource(path, { recordClass: Trade, types: { price: 'number', size: 'integer' } }),
  );
  t.deepEqual(
    records.map((r) => [r instanceof Trade, r.symbol, r.size]),
    [
      [true, 'AAPL', 100],
      [true, 'XOM', 7],
    ],
  );
  t.is(stats.sources.file!.deadLettered, 5);
  t.deepEqual(
    deadLetters.map((d) => [d.position, d.error.message]),
    [
      [3, 'trades.csv line 3: expected 4 fields (symbol, price, size, side), got 3'],
      [4, 'trades.csv line 4: column "price" is not a number: "abc"'],
      [5, 'trades.csv line 5: column "size" is not an integer: "1.5"'],
      [6, 'trades.csv line 6: field "side" must be one of the following values: buy, sell'],
      [8, 'trades.csv line 8: unterminated quoted field 2'],
    ],
  );
  t.deepEqual(
    deadLetters.map((d) => d.value),
    [rows[2], rows[3], rows[4], rows[5], rows[6]],
  );
});

test('CsvSource › a file without a header row, or whose header is not the columns given, fails the start', async (t) => {
  const dir = tempDir(t);
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '');
  await t.throwsAsync(runSource(new CsvSource(empty)), { message: /empty\.csv: no header row/ });
  const other = join(dir, 'other.csv');
  writeFileSync(other, 'a,b\n1,2\n');
  await t.throwsAsync(runSource(new CsvSource(other, { columns: ['a', 'c'] })), {
    message: /header row \(a, b\) is not the expected columns \(a, c\)/,
  });
  await t.throwsAsync(runSource(new CsvSource(other, { types: { z: 'number' } })), { message: /types names column "z"/ });
});

test('CsvSource › with a record class, columns declared number, boolean or Date convert without a types entry', async (t) => {
  class Fill {
    @IsString()
    symbol!: string;

    @IsNumber()
    price!: number;

    @IsInt()
    size!: number;

    @IsBoolean()
    open!: boolean;

    @IsDate()
    at!: Date;
  }
  const dir = tempDir(t);
  const path = join(dir, 'fills.csv');
  writeFileSync(
    path,
    'symbol,price,size,open,at\nAAPL,190.5,10,true,2024-01-02T10:00:00Z\nAAPL,190.5,1.5,true,2024-01-02T10:00:00Z\nAAPL,x,1,true,2024-01-02\n',
  );
  const { records, deadLetters } = await runSource(new CsvSource(path, { recordClass: Fill }));
  t.deepEqual(records, [
    Object.assign(new Fill(), { symbol: 'AAPL', price: 190.5, size: 10, open: true, at: new Date('2024-01-02T10:00:00Z') }),
  ]);
  t.deepEqual(
    deadLetters.map((d) => d.error.message),
    ['fills.csv line 3: field "size" must be an integer number', 'fills.csv line 4: column "price" is not a number: "x"'],
  );
});
