-- wrk script: reads of a random demo case's summary, or with
-- AIDTRAIL_READ=timeline its timeline, or with AIDTRAIL_READ=queue the
-- supervision queue's first page. Cases JM-<year>-1 .. JM-<year>-N.
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("AIDTRAIL_TOKEN")
  cases = tonumber(os.getenv("AIDTRAIL_CASES") or "100")
  year = os.getenv("AIDTRAIL_YEAR") or "2025"
  kind = os.getenv("AIDTRAIL_READ") or "summary"
  suffix = kind == "timeline" and "/timeline" or ""
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  if kind == "queue" then
    return wrk.format("GET", "/v1/supervision/queue?limit=50")
  end
  return wrk.format("GET", "/v1/cases/JM-" .. year .. "-" .. math.random(1, cases) .. suffix)
end
