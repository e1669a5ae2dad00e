/**
 * The fake VOD API in its own process for bench/ingest.ts (so the fake and the handler do not share one event loop):
 * started with the options as JSON in argv[2]; sends {endpoint} over IPC, answers {cmd:'stats'} with its counts.
 */
import { FakeVodApi } from '../test/fakes/vod-api';

const fake = new FakeVodApi(JSON.parse(process.argv[2] ?? '{}'));
void fake.start().then(endpoint => process.send!({ endpoint }));
process.on('message', (message: { cmd: string }) => {
  if (message.cmd === 'stats') {
    process.send!({
      stats: { ...fake.stats, createsPerId: [...fake.stats.createsPerId.entries()].filter(([, n]) => n > 1) },
      assetIds: [...fake.assets.keys()],
    });
  }
  if (message.cmd === 'stop') { void fake.stop().then(() => process.exit(0)); }
});
