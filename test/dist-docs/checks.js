var __decorate = (this && this.__decorate) || function (decorators, target, key, desc) {
    var c = arguments.length, r = c < 3 ? target : desc === null ? desc = Object.getOwnPropertyDescriptor(target, key) : desc, d;
    if (typeof Reflect === "object" && typeof Reflect.decorate === "function") r = Reflect.decorate(decorators, target, key, desc);
    else for (var i = decorators.length - 1; i >= 0; i--) if (d = decorators[i]) r = (c < 3 ? d(r) : c > 3 ? d(target, key, r) : d(target, key)) || r;
    return c > 3 && r && Object.defineProperty(target, key, r), r;
};
var __metadata = (this && this.__metadata) || function (k, v) {
    if (typeof Reflect === "object" && typeof Reflect.metadata === "function") return Reflect.metadata(k, v);
};
// file: docs/examples/checks.ts
import { fileURLToPath } from 'node:url';
import { createPipeline, fromArray, toArray } from '@sluice/core';
import { OnError, SluiceError, Stage, Window } from '@sluice/sdk';
const ticks = () => fromArray([{ symbol: 'AAPL', size: 100 }], { name: 'ticks' });
const out = (from) => toArray([], { name: 'out', from });
let Valid = class Valid {
    filter(t) {
        return t.size > 0;
    }
};
Valid = __decorate([
    Stage({ name: 'valid', from: 'ticks' })
], Valid);
let Misread = class Misread {
    filter(t) {
        return t.size > 0;
    }
};
Misread = __decorate([
    Stage({ name: 'valid', from: 'tiks' }) // typo in from:
], Misread);
let Positive = class Positive {
    filter(t) {
        return t.size > 0;
    }
};
Positive = __decorate([
    Stage({ name: 'valid', from: 'ticks' }) // the name 'valid' is taken
], Positive);
let A = class A {
    filter() {
        return true;
    }
};
A = __decorate([
    Stage({ name: 'a', from: ['ticks', 'b'] })
], A);
let B = class B {
    filter() {
        return true;
    }
};
B = __decorate([
    Stage({ name: 'b', from: 'a' })
], B);
let NoMethod = class NoMethod {
};
NoMethod = __decorate([
    Stage({ name: 'oops', from: 'ticks' })
], NoMethod);
class NotDecorated {
    filter() {
        return true;
    }
}
let Count = class Count {
    create() {
        return 0;
    }
    add(n) {
        return n + 1;
    }
    result(n) {
        return n;
    }
};
Count = __decorate([
    Stage({ name: 'count', from: 'ticks' }) // no key:
], Count);
let Concurrent = class Concurrent {
    filter(t) {
        return t.size > 0;
    }
};
Concurrent = __decorate([
    Stage({ name: 'valid', from: 'ticks', concurrency: 8 }) // concurrency on a filter
], Concurrent);
let NoConcurrency = class NoConcurrency {
    enrich(t) {
        return t;
    }
};
NoConcurrency = __decorate([
    Stage({ name: 'enriched', from: 'ticks', concurrency: 0 }) // must be at least 1
], NoConcurrency);
class RefData {
    sector(symbol) {
        return symbol;
    }
}
let Enrich = class Enrich {
    refData;
    constructor(refData) {
        this.refData = refData;
    }
    enrich(t) {
        return this.refData.sector(t.symbol);
    }
};
Enrich = __decorate([
    Stage({ name: 'enriched', from: 'ticks' }),
    __metadata("design:paramtypes", [RefData])
], Enrich);
let Candles = class Candles {
    create() {
        return 0;
    }
    add(n) {
        return n + 1;
    }
    result(n) {
        return n;
    }
};
Candles = __decorate([
    Stage({ name: 'candles', from: 'ticks', key: (t) => t.symbol }),
    Window({ tumbling: '1s' })
], Candles);
let Retrying = class Retrying {
    filter(t) {
        return t.size > 0;
    }
};
Retrying = __decorate([
    Stage({ name: 'valid', from: 'ticks' }),
    OnError({ retry: { attempts: 3 }, then: 'dead-letter' })
], Retrying);
/** Each case is a pipeline with one mistake; createPipeline reports it before anything runs. */
const cases = {
    'unknown input': () => ({ components: [ticks(), Misread, out('valid')] }),
    cycle: () => ({ components: [ticks(), A, B, out('b')] }),
    'duplicate name': () => ({ components: [ticks(), Valid, Positive, out('valid')] }),
    'no stage method': () => ({ components: [ticks(), NoMethod, out('oops')] }),
    'not decorated': () => ({ components: [ticks(), NotDecorated, out('ticks')] }),
    'no consumer': () => ({ components: [ticks(), Valid, out('ticks')] }),
    'no source': () => ({ components: [Valid, out('valid')] }),
    'key required': () => ({ components: [ticks(), Count, out('count')] }),
    'option on the wrong kind': () => ({ components: [ticks(), Concurrent, out('valid')] }),
    'option out of range': () => ({ components: [ticks(), NoConcurrency, out('enriched')] }),
    'bad pipeline option': () => ({ components: [ticks(), Valid, out('valid')], batchSize: 0 }),
    'service not provided': () => ({ components: [ticks(), Enrich, out('enriched')] }),
    'window not executed yet': () => ({ components: [ticks(), Candles, out('candles')] }),
    'retry not executed yet': () => ({ components: [ticks(), Retrying, out('valid')] }),
};
export async function main() {
    const found = [];
    for (const [name, options] of Object.entries(cases)) {
        try {
            createPipeline(options());
            found.push({ case: name, code: 'none', message: 'built without error' });
        }
        catch (err) {
            if (!SluiceError.is(err))
                throw err;
            found.push({ case: name, code: err.code, message: err.message });
        }
    }
    return found;
}
if (process.argv[1] === fileURLToPath(import.meta.url)) {
    for (const f of await main())
        console.log(`${f.case}: ${f.code}\n  ${f.message}`);
}
//# sourceMappingURL=checks.js.map