-- wrk script of `bash .ci/bench isolation`: every connection posts password logins to /token as fast as it can.
-- Run with as many threads as connections (-t64 -c64): each thread then has one connection, so a response
-- follows its own request and the script can time it. Prints the accepted logins (200) with their p99, the
-- refused ones (503 from the bcrypt bulkhead) and any other status.
-- A refused client waits the Retry-After of the 503 before its next login, as a client library that retries
-- does; with BENCH_IGNORE_RETRY_AFTER=1 it sends the next at once (a plain HTTP flood of 503s).
local ffi = require("ffi")
ffi.cdef [[
  typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
  int clock_gettime(int clock_id, bench_timespec *tp);
]]
local clock = ffi.new("bench_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local username = os.getenv("BENCH_USERNAME") or "john.doe"
local password = os.getenv("BENCH_PASSWORD") or "securepassword"
local body = "grant_type=password&username=" .. username .. "&password=" .. password
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local honour_retry_after = os.getenv("BENCH_IGNORE_RETRY_AFTER") ~= "1"

local threads = {}
function setup(thread)
  table.insert(threads, thread)
end

-- globals, not locals: done() reads them from each thread with thread:get
started = 0
local wait_ms = 0
accepted, refused, other = 0, 0, 0
joined = ""
local times = {}

function request()
  started = now_ms()
  return wrk.format("POST", "/token", headers, body)
end

function delay()
  local ms = wait_ms
  wait_ms = 0
  return ms
end

function response(status, response_headers, _)
  if status == 503 and honour_retry_after then
    wait_ms = 1000 * (tonumber(response_headers["Retry-After"]) or 1)
  end
  if status == 200 then
    accepted = accepted + 1
    times[#times + 1] = string.format("%.1f", now_ms() - started)
    -- wrk copies only plain values between threads: the times travel as one string
    joined = table.concat(times, ",")
  elseif status == 503 then
    refused = refused + 1
  else
    other = other + 1
  end
end

function done(_, _, _)
  local all, a, r, o = {}, 0, 0, 0
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    r = r + thread:get("refused")
    o = o + thread:get("other")
    for t in string.gmatch(thread:get("joined"), "[^,]+") do
      all[#all + 1] = tonumber(t)
    end
  end
  table.sort(all)
  local p99 = #all > 0 and all[math.max(1, math.ceil(#all * 0.99))] or 0
  local p50 = #all > 0 and all[math.max(1, math.ceil(#all * 0.50))] or 0
  io.write(string.format("FLOOD accepted=%d refused503=%d other=%d accepted_p50_ms=%.1f accepted_p99_ms=%.1f\n",
                         a, r, o, p50, p99))
end
