-- Diagnostic only (never used for the measured runs: a response() callback
-- slows wrk down). Counts responses per HTTP status and keeps the first body
-- seen for each non-2xx status, then prints them when wrk finishes.
-- bench/run uses it after a workload reported "Non-2xx or 3xx responses".

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  counts = {}
  samples = {}
end

function response(status, headers, body)
  counts[status] = (counts[status] or 0) + 1
  if (status < 200 or status > 299) and samples[status] == nil then
    samples[status] = (body or ""):sub(1, 400)
  end
end

function done(summary, latency, requests)
  local total, sample = {}, {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    local s = t:get("samples")
    for k, v in pairs(c or {}) do total[k] = (total[k] or 0) + v end
    for k, v in pairs(s or {}) do
      if sample[k] == nil then sample[k] = v end
    end
  end
  local keys = {}
  for k in pairs(total) do table.insert(keys, k) end
  table.sort(keys)
  for _, k in ipairs(keys) do
    io.write(string.format("status %d: %d\n", k, total[k]))
  end
  for _, k in ipairs(keys) do
    if sample[k] ~= nil then
      io.write(string.format("sample body for %d: %s\n", k, sample[k]))
    end
  end
end
