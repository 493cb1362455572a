-- wrk script: a mix of routes for bench/server-soak.sh, taken in turn by
-- each connection: concept, search, suggestion, relations, POST extract
-- (the ad of EXTRACT_BODY), POST titles, the analyse page and the health
-- check.  CONCEPT_ID names an occupation; SEARCH_Q is a URL-encoded query.
local id = os.getenv("CONCEPT_ID")
local q = os.getenv("SEARCH_Q")
local f = assert(io.open(os.getenv("EXTRACT_BODY"), "rb"), "EXTRACT_BODY: cannot open")
local ad = f:read("*a")
f:close()
local json = { ["Content-Type"] = "application/json" }
local form = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local requests = {}
local n = 0

function init(args)
  requests = {
    wrk.format("GET", "/api/v1/concepts/" .. id),
    wrk.format("GET", "/api/v1/search?q=" .. q),
    wrk.format("GET", "/api/v1/suggest?q=" .. string.sub(q, 1, 4)),
    wrk.format("GET", "/api/v1/occupations/" .. id .. "/skills"),
    wrk.format("POST", "/api/v1/extract", json, ad),
    wrk.format("POST", "/api/v1/titles", json, '{"titles":["Staff Nurse (RGN)","Verk\195\164ufer/in (m/w/d)","software developer"]}'),
    wrk.format("POST", "/analyse", form, "text=" .. q .. "+with+project+management+and+teamwork"),
    wrk.format("GET", "/health"),
  }
end

function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end
