import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** What makes the feed's ticks what they are: a checkpoint is only valid for the same. */
interface FeedIdentity {
  seed: number;
  rate: number;
}

/**
 * The folder of a durable run, created if missing. It records the feed's seed and rate, and a
 * folder made for another feed is refused (resuming from its checkpoints would mix two feeds).
 */
export function stateDir(dir: string | 'default', feed: FeedIdentity): string {
  const path = resolve(dir === 'default' ? join('.sluice', 'market-data', `seed${feed.seed}-rate${feed.rate}`) : dir);
  mkdirSync(path, { recursive: true });
  const file = join(path, 'feed.json');
  if (existsSync(file)) {
    const was = JSON.parse(readFileSync(file, 'utf8')) as FeedIdentity;
    if (was.seed !== feed.seed || was.rate !== feed.rate) {
      throw new Error(
        `--state ${path} holds a run of the feed with seed ${was.seed} and rate ${was.rate}, not seed ${feed.seed} and rate ${feed.rate}: give another --state folder, or delete this one to start afresh`,
      );
    }
  } else writeFileSync(file, JSON.stringify(feed) + '\n');
  return path;
}
