-- wrk hook for a form submission (bench/run.py): every request POSTs the same urlencoded body
-- (BENCH_BODY, which carries the CSRF token that the Cookie header given with -H matches; Django
-- accepts a masked token again and again with its cookie). Reports as wrk_report.lua does,
-- counting every response that is not BENCH_EXPECT_STATUS (the redirect after a success).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk_report.lua")

wrk.method = "POST"
wrk.body = os.getenv("BENCH_BODY") or error("wrk_post.lua: BENCH_BODY is not set")
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
