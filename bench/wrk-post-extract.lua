-- wrk script: POST /api/v1/extract with one job ad.
-- The request body (a JSON object {"id": ..., "text": ...}) is read from the
-- file named by the environment variable EXTRACT_BODY, written by
-- bench/server.sh from a job ad of ../shared/data at bench time (no data is
-- kept in the repository).  Every response must be 200: wrk reports others
-- as "Non-2xx or 3xx responses", which bench/server.sh treats as a failure.
local path = os.getenv("EXTRACT_BODY")
local f = assert(io.open(path, "rb"), "EXTRACT_BODY: cannot open " .. tostring(path))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.path = "/api/v1/extract"
wrk.headers["Content-Type"] = "application/json"
