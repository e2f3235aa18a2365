// Preloaded (NODE_OPTIONS=--require) into the programs the bench runs as a user would, to record
// each process's peak RSS when it exits: process.resourceUsage().maxRSS, in KiB, into a file
// named after its pid in $IWI_BENCH_RSS_DIR.
'use strict';
process.on('exit', () => {
  const path = require('path');
  require('fs').writeFileSync(path.join(process.env.IWI_BENCH_RSS_DIR, String(process.pid)), String(process.resourceUsage().maxRSS));
});
