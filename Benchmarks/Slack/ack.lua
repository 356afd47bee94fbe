-- wrk script: replays the signed events of requests.lua, each once, in order, at about
-- 500 requests/s over 4 connections (each waits 6 ms between requests):
-- wrk -t1 -c4 -d20s --latency -s ack.lua http://127.0.0.1:PORT/slack/events [-- FIRST]
-- FIRST (default 0) skips that many requests, so back-to-back runs send new events.
dofile("requests.lua")
local index = 0
init = function(args)
  index = tonumber(args[1] or "0")
end
request = function()
  index = index + 1
  local r = requests[((index - 1) % #requests) + 1]
  return wrk.format("POST", nil, {
    ["Content-Type"] = "application/json",
    ["X-Slack-Request-Timestamp"] = stamp,
    ["X-Slack-Signature"] = r.sig,
  }, r.body)
end

-- 4 connections × one request per (6 ms + latency) ≈ 500 requests/s.
delay = function()
  return 6
end
