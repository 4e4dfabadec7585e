-- wrk script for bench/load.py: wrk sends its one fixed request as fast as it can; done()
-- writes the statistics as JSON to OIH_BENCH_OUT.

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  local file = assert(io.open(os.getenv("OIH_BENCH_OUT"), "w"))
  file:write(string.format(
    '{"requests":%d,"rps":%.2f,"p50_ms":%.3f,"p99_ms":%.3f,"errors":%d}',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout + e.status
  ))
  file:close()
end
