-- wrk script for scripts/serve_load.sh: POSTs the photos listed in $LOAD_PHOTOS (one path a
-- line), in turn, to $LOAD_PATH, and counts the responses by status.
local paths, bodies, statuses, threads = {}, {}, {}, {}
local index = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local list = io.open(os.getenv("LOAD_PHOTOS"), "r")
  for line in list:lines() do
    local f = io.open(line, "rb")
    if f then table.insert(bodies, f:read("*a")); f:close() end
  end
  list:close()
  index = math.random(#bodies)
  counts = {}
end

function request()
  index = index % #bodies + 1
  return wrk.format("POST", os.getenv("LOAD_PATH") or "/v1/detect", {["Content-Type"] = "application/octet-stream"}, bodies[index])
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for status, n in pairs(c) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, status .. "=" .. n) end
  table.sort(parts)
  io.write(string.format("RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f statuses=%s socket_errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    table.concat(parts, ","), summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
