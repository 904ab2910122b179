-- wrk script: POSTs a JSON body made unique per request. The template is the first argument
-- after `--`; every "{n}" in it becomes "<thread>-<counter>", so codes and names never collide
-- (a project code is unique per organisation). The bearer token is the second argument.
-- thread_id is a global on purpose: setup() sets it in each thread's own Lua state with
-- thread:set, which a `local` here would shadow (every thread would then count from "0-1").
local counter = 0
local next_thread = 0

function setup(thread)
  thread:set("thread_id", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  template = args[1]
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end

function request()
  counter = counter + 1
  local body = template:gsub("{n}", (thread_id or 0) .. "-" .. counter)
  return wrk.format(nil, nil, nil, body)
end

function response(status)
  if status ~= 201 and not reported then
    reported = true
    io.stderr:write("post_json.lua: unexpected status " .. status .. "\n")
  end
end
