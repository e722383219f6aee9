-- wrk hook for bench/run.py: counts every response that is not 2xx (wrk itself only counts
-- status >= 400, and a redirect to the login page would look like a fast page), and prints one
-- JSON line with the percentiles the report needs.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non_2xx = 0
  first_non_2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    non_2xx = non_2xx + 1
    if first_non_2xx == 0 then
      first_non_2xx = status
    end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non_2xx")
    local status = thread:get("first_non_2xx")
    if first == 0 and status ~= 0 then
      first = status
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d, "non_2xx": %d, ' ..
    '"first_non_2xx": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.timeout, bad, first))
end
