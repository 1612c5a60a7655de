-- wrk script: every request records a new application (a fresh case and
-- command id per request), the same command ops/bench/pipeline_bench sends
-- in process. The token comes from $AIDTRAIL_TOKEN.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  n = 0
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("AIDTRAIL_TOKEN")
  wrk.headers["Content-Type"] = "application/json"
  run = os.getenv("AIDTRAIL_RUN") or "r"
end

function request()
  n = n + 1
  local id = "WRK-" .. run .. "-" .. tid .. "-" .. n
  local body = '{"commandId":"wrk-' .. id .. '","streamId":"case/' .. id .. '",' ..
    '"submitApplication":{"channel":"CHANNEL_WINDOW","category":"CASE_CATEGORY_CIVIL","matter":"wage-arrears",' ..
    '"applicant":{"subjectId":"SUBJ-' .. id .. '","age":45},"infringementRegion":"440703"}}'
  return wrk.format("POST", "/v1/commands/submit_application", nil, body)
end
