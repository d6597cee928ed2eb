import { appendFileSync } from 'node:fs';
import { Inject, Sink, type SinkConnector } from '@sluice/sdk';

/** Settings of {@link JsonLinesOut}. */
export interface JsonLinesOutSettings {
  /** The file the records are appended to, one JSON value per line. */
  file: string;
}

/** Appends each record as a line of JSON to the file of its settings. @public */
@Sink({ name: 'out', from: 'even' })
export class JsonLinesOut implements SinkConnector<unknown> {
  /** The token under which a host binds this class's settings. */
  static readonly settings = Symbol.for('@sluice/example-plugin:JsonLinesOut.settings');
  private readonly file: string;

  constructor(@Inject(JsonLinesOut.settings) settings: JsonLinesOutSettings) {
    if (typeof settings.file !== 'string' || settings.file === '') {
      throw new TypeError('JsonLinesOut: settings.file must be the path of the output file');
    }
    this.file = settings.file;
  }

  write(batch: readonly unknown[]): void {
    // One append per batch: the lines of a batch land together.
    if (batch.length > 0) appendFileSync(this.file, batch.map((r) => JSON.stringify(r) + '\n').join(''));
  }
}
