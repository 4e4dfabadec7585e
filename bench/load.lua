-- wrk script for bench/load.py. OIH_BENCH_MODE picks what it does:
--   page      wrk sends its one fixed request; this only writes the statistics.
--   patients  each wrk thread is one connection and walks one patient at a time through the
--             whole self-check: start page, privacy choice, every question, the answers page,
--             submit, result. Then the next patient, with a new address and no cookies.
-- done() writes JSON to OIH_BENCH_OUT. Only the latest Set-Cookie header of a response
-- reaches Lua (wrk keeps one value per header name); Django sets the session cookie last.

local mode = os.getenv("OIH_BENCH_MODE") or "page"
local out_path = os.getenv("OIH_BENCH_OUT")

local function quoted(text)
  local escaped = tostring(text):gsub('[%c"\\]', function(ch)
    return string.format("\\u%04x", string.byte(ch))
  end)
  return '"' .. escaped .. '"'
end

local function list_json(items)
  local parts = {}
  for _, item in ipairs(items) do
    parts[#parts + 1] = quoted(item)
  end
  return "[" .. table.concat(parts, ",") .. "]"
end

local function stats_json(summary, latency)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  return string.format(
    '"requests":%d,"seconds":%.3f,"rps":%.2f,"p50_ms":%.3f,"p99_ms":%.3f,'
      .. '"errors":{"connect":%d,"read":%d,"write":%d,"timeout":%d,"status":%d}',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.timeout, e.status
  )
end

local function write(text)
  local file = assert(io.open(out_path, "w"))
  file:write(text)
  file:close()
end

if mode == "page" then
  function done(summary, latency, requests)
    write("{" .. stats_json(summary, latency) .. "}")
  end
  return
end

-- Patients ---------------------------------------------------------------------------------

local origin = os.getenv("OIH_BENCH_ORIGIN")
-- A list of walks; each maps a question id to that page's form fields, URL-encoded.
local walks = dofile(os.getenv("OIH_BENCH_WALKS"))
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("number", #threads)
end

-- Per thread (one connection), as globals so that done() can read them with thread:get():
-- the patient being walked (and its record), the request to send next, what has been seen.
patient, current, step = nil, nil, nil
started, finished, flow_errors = 0, 0, 0
confirmed, samples, unfinished = {}, {}, {}

local function get(path)
  return { method = "GET", path = path }
end

local function post(path, form)
  return { method = "POST", path = path, form = form }
end

local function new_patient()
  started = started + 1
  patient = {
    -- A distinct client address per patient, as a load balancer in front of nginx names it.
    address = string.format("10.%d.%d.%d", number, math.floor(started / 256) % 256, started % 256),
    walk = walks[(number * 7919 + started) % #walks + 1],
    cookies = {},
    -- Every fourth patient presses "Submit" again after seeing the result.
    resubmits = started % 4 == 0,
  }
  step = get("/check/")
end

local function cookie_header(cookies)
  local parts = {}
  for name, value in pairs(cookies) do
    parts[#parts + 1] = name .. "=" .. value
  end
  table.sort(parts)
  return table.concat(parts, "; ")
end

-- What bench/load.py needs to look a patient up afterwards, as a browser reloading would,
-- as JSON: thread:get() copies strings and flat tables, not tables within tables.
local function record(someone)
  return string.format(
    '{"cookie":%s,"address":%s,"code":%s}',
    quoted(cookie_header(someone.cookies)), quoted(someone.address), quoted(someone.code or "")
  )
end

local function remember(set_cookie)
  if not set_cookie then
    return
  end
  local name, value = set_cookie:match("^%s*([^=;]+)=([^;]*)")
  if not name then
    return
  end
  if value == "" or value == '""' then
    patient.cookies[name] = nil
  else
    patient.cookies[name] = value
  end
end

local function fail(status, why, body)
  flow_errors = flow_errors + 1
  if #samples < 20 then
    local excerpt = (body or ""):gsub("%s+", " "):sub(1, 160)
    samples[#samples + 1] = string.format(
      "%s %s -> %d: %s | %s", step.method, step.path, status, why, excerpt
    )
  end
  -- The server may have stored something before failing: bench/load.py looks this patient up.
  unfinished[#unfinished + 1] = record(patient)
  new_patient()
end

function init(args)
  new_patient()
  current = record(patient)
end

function request()
  local headers = {
    ["Host"] = wrk.headers["Host"],
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = patient.address,
  }
  local cookie = cookie_header(patient.cookies)
  if cookie ~= "" then
    headers["Cookie"] = cookie
  end
  local body = nil
  if step.method == "POST" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    headers["Origin"] = origin
    headers["Referer"] = origin .. step.path
    body = "csrfmiddlewaretoken=" .. (patient.csrf or "")
    if step.form ~= "" then
      body = body .. "&" .. step.form
    end
  end
  return wrk.format(step.method, step.path, headers, body)
end

local function reference_code(body)
  return body:match('class="reference%-code[^"]*">%s*([%w%-]+)')
end

local function after_get(status, body)
  if status ~= 200 then
    return fail(status, "expected 200", body)
  end
  patient.csrf = body:match('name="csrfmiddlewaretoken" value="([^"]+)"') or patient.csrf
  local path = step.path
  if path == "/check/" then
    step = post(path, "privacy=save")
  elseif path == "/check/answers/" then
    step = post(path, "")
  elseif path == "/check/result/" or path == "/check/emergency/" then
    local code = reference_code(body)
    if not code then
      return fail(status, "no reference code", body)
    end
    if patient.code == nil then
      patient.code = code
      confirmed[#confirmed + 1] = code
      if patient.resubmits then
        step = post("/check/answers/", "")
        return
      end
    elseif code ~= patient.code then
      return fail(status, "a second submit showed another code: " .. patient.code, body)
    end
    finished = finished + 1
    new_patient()
  else
    local question = path:match("^/check/([%w_]+)/$")
    local form = question and patient.walk[question]
    if not form then
      return fail(status, "a page this walk has no answer for", body)
    end
    step = post(path, form)
  end
end

local function after_post(status, headers, body)
  local location = headers["Location"]
  if status ~= 302 or not location then
    return fail(status, "expected a redirect", body)
  end
  step = get(location)
end

function response(status, headers, body)
  remember(headers["Set-Cookie"])
  if step.method == "GET" then
    after_get(status, body)
  else
    after_post(status, headers, body)
  end
  current = record(patient)
end

function done(summary, latency, requests)
  local parts = {}
  for _, thread in ipairs(threads) do
    -- Plus the patient each connection was walking when the time ran out.
    local records = thread:get("unfinished")
    records[#records + 1] = thread:get("current")
    parts[#parts + 1] = string.format(
      '{"started":%d,"finished":%d,"flow_errors":%d,"confirmed":%s,"samples":%s,'
        .. '"unfinished":[%s]}',
      thread:get("started"), thread:get("finished"), thread:get("flow_errors"),
      list_json(thread:get("confirmed")), list_json(thread:get("samples")),
      table.concat(records, ",")
    )
  end
  write("{" .. stats_json(summary, latency) .. ',"threads":[' .. table.concat(parts, ",") .. "]}")
end
