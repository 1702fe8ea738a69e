-- wrk script of `bash .ci/bench tokens`: GET BENCH_PATH (default /users/me), each request with the next access token
-- of the file BENCH_TOKENS (one a line) in rotation, as many clients with a token each would send them; without
-- BENCH_TOKENS, the same requests with no Authorization header (the JWKS route, measured the same way). The requests
-- are formatted once, at start, so that rotating costs wrk no more than a fixed request does. Each thread starts at
-- its own place in the list.
local path = os.getenv("BENCH_PATH") or "/users/me"
local file = os.getenv("BENCH_TOKENS")

local counter = 0
function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end

local requests = {}
local next_index = 1

function init(args)
  if file == nil or file == "" then
    requests[1] = wrk.format("GET", path)
  else
    for token in io.lines(file) do
      requests[#requests + 1] = wrk.format("GET", path, { ["Authorization"] = "Bearer " .. token })
    end
  end
  -- threads start half a list apart (two threads), so that they do not send the same token at the same time
  next_index = (offset * math.floor(#requests / 2)) % #requests + 1
end

function request()
  local r = requests[next_index]
  next_index = next_index % #requests + 1
  return r
end
