-- wrk script for `make bench` (driven by bench/run.py through the environment).
--   BENCH_TOKEN  API key, sent as "Authorization: Bearer <key>" (optional)
--   BENCH_MODE   "get" (rotate through the paths in BENCH_PATHS, one a line)
--                or "post" (create patients with unique names, emails and phones)
--                or "enquiry" (website enquiries with an ad click to BENCH_ENQUIRY_PATH)
--                or "signed" (form POSTs to BENCH_PATH, pre-signed: BENCH_SIGNED is a file of
--                lines "X-Twilio-Signature<TAB>form body", sent in order, each once unless
--                the file runs out; "wrapped" in the result counts requests sent again)
--                or "bodies" (JSON POSTs to BENCH_PATH, the bodies in BENCH_BODIES one a line,
--                in rotation)
--   BENCH_ORIGIN an Origin header for every request (optional; a clinic website's)
--   BENCH_SEQ    first sequence number for "post"; each request takes the next
-- done() prints one line "BENCH_RESULT {json}" with counts and latencies in µs.

local mode = os.getenv("BENCH_MODE") or "get"
local token = os.getenv("BENCH_TOKEN")
local origin = os.getenv("BENCH_ORIGIN")
local paths = {}
local seq = tonumber(os.getenv("BENCH_SEQ") or "0")
local firsts = {"Amelia", "Oliver", "Isla", "Noah", "Freya", "Arjun", "Niamh", "Kwame"}
local step = 0
local threads = {}
local signatures, bodies = {}, {}
wrapped = 0

function setup(thread)
   -- Threads get disjoint sequence ranges so phone numbers never repeat.
   thread:set("thread_offset", step * 100000)
   step = step + 1
   threads[#threads + 1] = thread
end

function init(args)
   if token and token ~= "" then
      wrk.headers["Authorization"] = "Bearer " .. token
   end
   if origin and origin ~= "" then
      wrk.headers["Origin"] = origin
   end
   if mode == "bodies" then
      local file = assert(io.open(os.getenv("BENCH_BODIES"), "r"))
      for line in file:lines() do
         if line ~= "" then bodies[#bodies + 1] = line end
      end
      file:close()
      assert(#bodies > 0, "BENCH_BODIES is empty")
      wrk.method = "POST"
      wrk.headers["Content-Type"] = "application/json"
   elseif mode == "signed" then
      local file = assert(io.open(os.getenv("BENCH_SIGNED"), "r"))
      for line in file:lines() do
         local tab = string.find(line, "\t", 1, true)
         if tab then
            signatures[#signatures + 1] = string.sub(line, 1, tab - 1)
            bodies[#bodies + 1] = string.sub(line, tab + 1)
         end
      end
      file:close()
      assert(#bodies > 0, "BENCH_SIGNED is empty")
      seq = thread_offset or 0
   elseif mode == "post" or mode == "enquiry" then
      wrk.method = "POST"
      wrk.headers["Content-Type"] = "application/json"
      seq = seq + (thread_offset or 0)
   else
      local file = assert(io.open(os.getenv("BENCH_PATHS"), "r"))
      for line in file:lines() do
         if line ~= "" then paths[#paths + 1] = line end
      end
      file:close()
      assert(#paths > 0, "BENCH_PATHS is empty")
   end
end

local n = 0

function request()
   n = n + 1
   if mode == "bodies" then
      return wrk.format(nil, os.getenv("BENCH_PATH"), nil, bodies[(n % #bodies) + 1])
   end
   if mode == "signed" then
      local k = seq + n
      if k > #bodies then wrapped = wrapped + 1 end
      local i = ((k - 1) % #bodies) + 1
      return wrk.format("POST", os.getenv("BENCH_PATH"), {
         ["Host"] = wrk.host .. ":" .. wrk.port,
         ["Content-Type"] = "application/x-www-form-urlencoded",
         ["X-Twilio-Signature"] = signatures[i],
      }, bodies[i])
   end
   if mode == "enquiry" then
      local i = seq + n
      -- A new visitor each time (new email and phone: a new lead, not a dedupe hit),
      -- as the widget sends it: touches, consent with its wording, a render time.
      local body = string.format(
         '{"first_name":"%s","last_name":"Enquirer%d","email":"enquirer.%d@example.org",'
            .. '"phone":"07922 %06d","message":"Hello, how much is teeth whitening?",'
            .. '"consent":{"email":true},"consent_wording":"Email me offers",'
            .. '"rendered_at":%d,'
            .. '"first_touch":{"gclid":"BENCH%d","utm_source":"google","utm_medium":"cpc",'
            .. '"utm_campaign":"whitening_spring","utm_term":"teeth whitening",'
            .. '"landing_page":"https://clinic.example/whitening?gclid=BENCH%d",'
            .. '"marketing_consent":true}}',
         firsts[(i % #firsts) + 1], i, i, i, (os.time() - 30) * 1000, i, i)
      return wrk.format(nil, os.getenv("BENCH_ENQUIRY_PATH"), nil, body)
   end
   if mode == "post" then
      local i = seq + n
      local body = string.format(
         '{"first_name":"%s","last_name":"Benchperson%d","email":"bench.%d@example.org",'
            .. '"phone":"07911 %06d"}',
         firsts[(i % #firsts) + 1], i, i, i)
      return wrk.format(nil, "/api/v1/patients", nil, body)
   end
   return wrk.format(nil, paths[(n % #paths) + 1])
end

function done(summary, latency, requests)
   local e = summary.errors
   local again = 0
   for _, thread in ipairs(threads) do again = again + (thread:get("wrapped") or 0) end
   io.write(string.format(
      'BENCH_RESULT {"requests":%d,"duration_us":%d,"connect_errors":%d,"read_errors":%d,'
         .. '"write_errors":%d,"status_errors":%d,"timeouts":%d,"p50_us":%d,"p90_us":%d,'
         .. '"p99_us":%d,"mean_us":%.1f,"max_us":%d,"wrapped":%d}\n',
      summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
      latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.mean, latency.max, again))
end
