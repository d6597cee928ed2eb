// Debian's chromium driven by playwright-core, with a close that cannot hang a test run.
import { chromium, type Browser } from 'playwright-core';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** A launched browser and how to be rid of it. */
export interface HeadlessChromium {
  readonly browser: Browser;
  /** Closes the browser; kills its process when closing takes more than 10 s. */
  close(): Promise<void>;
}

/** Launches `/usr/bin/chromium` headless (as a browser server, so that its process can be killed by pid). */
export async function launchChromium(): Promise<HeadlessChromium> {
  const server = await chromium.launchServer({ executablePath: '/usr/bin/chromium', headless: true, args: ARGS });
  const browser = await chromium.connect(server.wsEndpoint());
  return {
    browser,
    async close() {
      let timer: NodeJS.Timeout | undefined;
      const closed = (async () => {
        await browser.close().catch(() => undefined);
        await server.close();
        return true;
      })();
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), 10_000)));
      const ok = await Promise.race([closed, late]).catch(() => false);
      clearTimeout(timer);
      const pid = server.process().pid;
      if (!ok && pid !== undefined) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
  };
}
