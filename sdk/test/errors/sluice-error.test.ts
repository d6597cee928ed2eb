import test from 'ava';
import { BackoffError, EndOfStreamError, ErrorCodes, SluiceError } from '@sluice/sdk';

test('SluiceError › carries a stable code, details and cause', (t) => {
  const cause = new Error('boom');
  const err = new SluiceError(ErrorCodes.STAGE_FAILED, 'stage x failed', { cause, details: { stage: 'x' } });
  t.is(err.code, 'SLUICE_ERR_STAGE_FAILED');
  t.is(err.details.stage, 'x');
  t.is(err.cause, cause);
  t.true(SluiceError.is(err));
  t.true(SluiceError.is(err, ErrorCodes.STAGE_FAILED));
  t.false(SluiceError.is(err, ErrorCodes.GRAPH_CYCLE));
});

test('SluiceError › is() recognises errors by brand, not by class identity', (t) => {
  // What a second installed copy of the SDK would produce: another class, the same brand.
  const foreign = Object.assign(new Error('other copy'), { code: ErrorCodes.GRAPH_CYCLE });
  Object.defineProperty(foreign, Symbol.for('@sluice/sdk:error'), { value: true });
  t.true(SluiceError.is(foreign, ErrorCodes.GRAPH_CYCLE));
  t.false(SluiceError.is(new Error('plain')));
  t.false(SluiceError.is(null));
});

test('control-flow errors › have their own codes and data', (t) => {
  t.is(new EndOfStreamError().code, ErrorCodes.END_OF_STREAM);
  const b = new BackoffError(250);
  t.is(b.code, ErrorCodes.BACKOFF);
  t.is(b.waitMs, 250);
});
