-- wrk script: reads of a random demo case's summary, or with
-- AIDTRAIL_READ=timeline its timeline. Cases JM-<year>-1 .. JM-<year>-N.
function init(args)
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("AIDTRAIL_TOKEN")
  cases = tonumber(os.getenv("AIDTRAIL_CASES") or "100")
  year = os.getenv("AIDTRAIL_YEAR") or "2025"
  suffix = os.getenv("AIDTRAIL_READ") == "timeline" and "/timeline" or ""
  math.randomseed(os.time() + (tonumber(tostring({}):sub(8)) or 0))
end

function request()
  return wrk.format("GET", "/v1/cases/JM-" .. year .. "-" .. math.random(1, cases) .. suffix)
end
