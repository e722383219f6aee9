-- wrk hook for bench/run.py: counts every response that is not the expected one (wrk itself
-- only counts status >= 400, and a redirect to the login page would look like a fast page),
-- and prints one JSON line with the percentiles the report needs. Expected is any 2xx, or
-- exactly BENCH_EXPECT_STATUS when set (302 for a form submission, see wrk_post.lua).
local threads = {}
local expect = tonumber(os.getenv("BENCH_EXPECT_STATUS") or "")

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
  first_unexpected = 0
end

function response(status, headers, body)
  local ok
  if expect then
    ok = status == expect
  else
    ok = status >= 200 and status <= 299
  end
  if not ok then
    unexpected = unexpected + 1
    if first_unexpected == 0 then
      first_unexpected = status
    end
  end
end

function done(summary, latency, requests)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("unexpected")
    local status = thread:get("first_unexpected")
    if first == 0 and status ~= 0 then
      first = status
    end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, ' ..
    '"p95_us": %d, "p99_us": %d, "mean_us": %.1f, "max_us": %d, "connect_errors": %d, ' ..
    '"read_errors": %d, "write_errors": %d, "timeouts": %d, "unexpected": %d, ' ..
    '"first_unexpected": %d}\n',
    summary.requests, summary.duration, summary.bytes, latency:percentile(50),
    latency:percentile(95), latency:percentile(99), latency.mean, latency.max,
    e.connect, e.read, e.write, e.timeout, bad, first))
end
