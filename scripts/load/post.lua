-- wrk script: POST the JSON request in the file named after `--` on wrk's command line, and count
-- the answers that are not 200 (wrk's own "Non-2xx" line also reports them).
local body_file = nil
local req = nil

function init(args)
  body_file = args[1]
  local f = assert(io.open(body_file, "rb"), "cannot open " .. tostring(body_file))
  local body = f:read("*a")
  f:close()
  req = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end

function request()
  return req
end
