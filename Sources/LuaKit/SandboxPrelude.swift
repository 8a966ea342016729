/// The trusted Lua chunk that builds sandbox environments. It runs once per state with the real
/// globals and a few host primitives; scripts never see it or its upvalues (there is no `debug`).
///
/// It returns two functions: `new_env(host)` and `freeze(table, name)`.
enum SandboxPrelude {
  static let chunkName = "=[sandbox]"

  static let source = #"""
    local P = ...
    local G = P.globals
    local next, type, tostring, select, error = G.next, G.type, G.tostring, G.select, G.error
    local rawset, setmetatable, getmetatable = G.rawset, G.setmetatable, G.getmetatable
    local rawget, pcall, string_format = G.rawget, G.pcall, G.string.format
    local resume, create, close = P.resume, G.coroutine.create, G.coroutine.close

    -- Read-only proxies. A weak set remembers them so that rawset can refuse them too.
    local frozen = setmetatable({}, { __mode = "k" })
    local function freeze(t, name)
      local proxy = {}
      setmetatable(proxy, {
        __index = t,
        __newindex = function(_, k)
          error(string_format("attempt to modify read-only table '%s' (field '%s')", name, tostring(k)), 2)
        end,
        __pairs = function() return function(_, k) return next(t, k) end, proxy, nil end,
        __len = function() return #t end,
        __metatable = "read-only table '" .. name .. "'",
      })
      frozen[proxy] = true
      return proxy
    end

    local function copy(t, names)
      local c = {}
      for _, k in G.ipairs(names) do c[k] = t[k] end
      return c
    end

    -- Libraries, allow-listed and frozen once per state; string.dump is gone from the real
    -- string table too, since string methods ("x"):dump would otherwise reach it.
    G.string.dump = nil
    local string_lib = freeze(copy(G.string, { "byte", "char", "find", "format", "gmatch", "gsub",
      "len", "lower", "match", "pack", "packsize", "rep", "reverse", "sub", "unpack", "upper" }), "string")
    local math_names = {}
    for k in next, G.math do if k ~= "randomseed" then math_names[#math_names + 1] = k end end
    local math_tbl = copy(G.math, math_names)
    math_tbl.randomseed = function()
      error("math.randomseed is not available in the sandbox: the host seeds every run", 2)
    end
    local math_lib = freeze(math_tbl, "math")
    local table_lib = freeze(copy(G.table, { "concat", "insert", "move", "pack", "remove", "sort", "unpack" }), "table")
    local utf8_lib = freeze(copy(G.utf8, { "char", "charpattern", "codepoint", "codes", "len", "offset" }), "utf8")

    local function wrap_results(co, ok, ...)
      if ok then return ... end
      close(co)
      error((...), 0)
    end
    local coroutine_lib = freeze({
      create = create, resume = resume, yield = G.coroutine.yield, status = G.coroutine.status,
      running = G.coroutine.running, isyieldable = G.coroutine.isyieldable, close = close,
      wrap = function(f)
        local co = create(f)
        return function(...) return wrap_results(co, resume(co, ...)) end
      end,
    }, "coroutine")

    local real_date, clock_now, clock_cpu = G.os.date, P.now, P.cpu
    local os_lib = freeze({
      time = P.time,
      clock = clock_cpu,
      difftime = G.os.difftime,
      date = function(format, t)
        format = format or "%c"
        if type(format) ~= "string" then error("bad argument #1 to 'date' (string expected)", 2) end
        if format:sub(1, 1) ~= "!" then format = "!" .. format end   -- always UTC in the sandbox
        return real_date(format, t or clock_now())
      end,
    }, "os")

    -- The string metatable: getmetatable("") gives a frozen stand-in, never the real one.
    local string_mt = getmetatable("")
    rawset(string_mt, "__metatable", freeze({ __index = string_lib }, "string metatable"))

    local base = {
      assert = G.assert, error = error, ipairs = G.ipairs, next = next, pairs = G.pairs,
      rawequal = G.rawequal, rawget = rawget, rawlen = G.rawlen,
      select = select, tonumber = G.tonumber, tostring = tostring, type = type,
      getmetatable = getmetatable, _VERSION = G._VERSION,
      string = string_lib, math = math_lib, table = table_lib, utf8 = utf8_lib,
      coroutine = coroutine_lib, os = os_lib,
    }
    base.rawset = function(t, k, v)
      if frozen[t] then error("attempt to modify a read-only table with rawset", 2) end
      return rawset(t, k, v)
    end
    base.setmetatable = function(t, mt)
      if frozen[t] then error("cannot change the metatable of a read-only table", 2) end
      if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
        error("__gc metamethods are not allowed in the sandbox (finalizers cannot be interrupted by limits)", 2)
      end
      local ok, result = pcall(setmetatable, t, mt)
      if not ok then error(result, 2) end
      return result
    end
    -- A limit is raised from inside Lua's hook, where hooks are off; a message handler called for
    -- it would run unstoppable. So the limit error skips the script's handler (it is not the
    -- script's to handle); every other error reaches it as usual.
    -- Both also re-raise a tripped limit when the protected call returns, whatever it caught.
    local sentinel, xpcall, guard = P.sentinel, G.xpcall, P.guard
    base.xpcall = function(f, handler, ...)
      if type(handler) ~= "function" then
        error("bad argument #2 to 'xpcall' (function expected, got " .. type(handler) .. ")", 2)
      end
      return guard(xpcall(f, function(e)
        if e == sentinel then return e end
        return handler(e)
      end, ...))
    end
    base.pcall = function(f, ...) return guard(pcall(f, ...)) end
    base.collectgarbage = function(option)
      option = option or "collect"
      if option == "count" then return G.collectgarbage("count") end
      error(string_format("collectgarbage('%s') is not allowed in the sandbox (only 'count')", tostring(option)), 2)
    end

    local real_load = G.load
    local function new_env(host)
      local env = {}
      for k, v in next, base do env[k] = v end
      env.print = host.print
      local loaded, find = {}, host.require
      -- The module cache and env live in Lua (not in Swift references), so that an unused
      -- environment is collected like any other cycle.
      env.require = function(name) return find(env, loaded, name) end
      env._G = env
      env.load = function(chunk, name, mode, ...)
        if mode ~= nil and mode ~= "t" then
          error("load: binary chunks are not allowed in the sandbox (mode must be \"t\")", 2)
        end
        if select("#", ...) > 0 then return real_load(chunk, name, "t", (...)) end
        return real_load(chunk, name, "t", env)
      end
      setmetatable(env, { __metatable = "the sandbox globals are protected" })
      return env
    end

    return new_env, freeze
    """#
}
