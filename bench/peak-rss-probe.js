// Preloaded (NODE_OPTIONS=--require) into the programs the bench runs as a user would, to record
// each process's peak RSS when it exits: process.resourceUsage().maxRSS, in KiB, into a file
// named after its pid in $IWI_BENCH_RSS_DIR.
'use strict';
process.on('exit', () => {
  const path = require('path');
  const usage = process.resourceUsage();
  require('fs').writeFileSync(path.join(process.env.IWI_BENCH_RSS_DIR, String(process.pid)), String(usage.maxRSS));
  // With $IWI_BENCH_CPU_DIR also the CPU time (user + system), in microseconds: steadier than
  // wall time on a busy machine.
  if (process.env.IWI_BENCH_CPU_DIR) {
    require('fs').writeFileSync(path.join(process.env.IWI_BENCH_CPU_DIR, String(process.pid)), String(usage.userCPUTime + usage.systemCPUTime));
  }
});
