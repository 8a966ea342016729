/// The trusted Lua chunk that builds sandbox environments. It runs once per state with the real
/// globals and a few host primitives; scripts never see it or its upvalues (there is no `debug`).
///
/// It returns two functions: `new_env(host)` and `freeze(table, name, deep)`.
enum SandboxPrelude {
  static let chunkName = "=[sandbox]"

  static let source = #"""
    local P = ...
    local G = P.globals
    local next, type, tostring, select, error = G.next, G.type, G.tostring, G.select, G.error
    local rawset, setmetatable, getmetatable = G.rawset, G.setmetatable, G.getmetatable
    local rawget, pcall, string_format = G.rawget, G.pcall, G.string.format
    local resume, create, close = P.resume, G.coroutine.create, P.close

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
    local string_tbl = copy(G.string, { "byte", "char", "find", "format", "gmatch", "gsub",
      "len", "lower", "match", "pack", "packsize", "rep", "reverse", "sub", "unpack", "upper" })
    -- Bounded versions of library functions whose C loops no hook can stop; each gives Lua's
    -- own result on every input it accepts (see docs/sandbox.md, "Bounds").
    local real_rep, math_type = G.string.rep, G.math.type
    string_tbl.rep = function(s, n, sep)
      -- Lua loops n times even when there is nothing to copy: rep("", math.maxinteger).
      if type(s) == "string" and #s == 0 and (sep == nil or sep == "") and math_type(n) == "integer" then
        return ""
      end
      return real_rep(s, n, sep)
    end
    -- Pattern matching runs in one C call the hooks cannot reach, and backtracks: the work of
    -- a match is bounded by starts × (n + 1)^k × 2^o × #pattern for a subject of n bytes and a
    -- pattern with k items that backtrack over the subject (`*`, `+`, `-` and `%b`) and o
    -- optional items (`?`). A call whose bound passes 100,000,000 steps (a plain search: n × m
    -- byte comparisons past 1,000,000,000) is refused; every other call is Lua's own.
    local real_find, real_match, real_gmatch, real_gsub = G.string.find, G.string.match, G.string.gmatch, G.string.gsub
    local byte = G.string.byte
    local pattern_bound, plain_bound = 100000000, 1000000000
    local SPECIALS = { [40] = true, [41] = true, [46] = true, [37] = true, [43] = true, [45] = true, [42] = true,
      [63] = true, [91] = true, [94] = true, [36] = true }  -- ( ) . % + - * ? [ ^ $
    local function after_set(p, i, len)
      -- i is at '['; the first character of a set (after '^') is always a member, ']' too.
      local j = i + 1
      if byte(p, j) == 94 then j = j + 1 end
      repeat
        if j > len then return len + 1 end
        local c = byte(p, j)
        j = j + (c == 37 and 2 or 1)
      until byte(p, j) == 93
      return j + 1
    end
    local function pattern_cost(p, n, can_anchor)
      local len, i, exponent, optional = #p, 1, 0, 0
      local anchored = can_anchor and byte(p, 1) == 94
      if anchored then i = 2 end
      while i <= len do
        local c, single = byte(p, i), true
        if c == 37 then
          local d = byte(p, i + 1)
          if d == 98 then exponent, i, single = exponent + 1, i + 4, false  -- %bxy
          elseif d == 102 then i, single = after_set(p, i + 2, len), false  -- %f[set]
          else i = i + 2 end
        elseif c == 91 then i = after_set(p, i, len)
        elseif c == 40 or c == 41 then i, single = i + 1, false
        else i = i + 1 end
        if single then
          local q = byte(p, i)
          if q == 42 or q == 43 or q == 45 then exponent, i = exponent + 1, i + 1
          elseif q == 63 then optional, i = optional + 1, i + 1 end
        end
      end
      return (anchored and 1 or n + 1) * (n + 1) ^ exponent * 2 ^ optional * (len + 1)
    end
    local function check_pattern(name, s, p, plain, can_anchor)
      if math_type(s) then s = tostring(s) end
      if math_type(p) then p = tostring(p) end
      if type(s) ~= "string" or type(p) ~= "string" then return end  -- Lua's own error follows
      local simple = plain
      if not simple then
        simple = true
        for i = 1, #p do if SPECIALS[byte(p, i)] then simple = false break end end
      end
      if simple then
        if (#s + 1) * (#p + 1) > plain_bound then
          error(string_format("bad argument #2 to '%s' (a search of %d bytes for %d bytes is more than the sandbox allows)",
            name, #s, #p), 3)
        end
      elseif pattern_cost(p, #s, can_anchor) > pattern_bound then
        error(string_format("bad argument #2 to '%s' (pattern too costly for the sandbox on a %d-byte subject: it may backtrack past %d steps)",
          name, #s, pattern_bound), 3)
      end
    end
    -- Lua's errors name the position of the caller of the function that raised them: called
    -- here through pcall they name none, and are raised again at the script's position, as
    -- the stock functions' are (a limit's sentinel passes through unchanged).
    local function finish(ok, ...)
      if ok then return ... end
      local e = ...
      -- An error from a gsub replacement function already names its own position.
      if type(e) == "string" and real_find(e, "^[^\n]-:%d+: ") then error(e, 0) end
      error(e, 2)
    end
    string_tbl.find = function(s, p, init, plain)
      check_pattern("find", s, p, plain, true)
      return finish(pcall(real_find, s, p, init, plain))
    end
    string_tbl.match = function(s, p, init)
      check_pattern("match", s, p, false, true)
      return finish(pcall(real_match, s, p, init))
    end
    string_tbl.gmatch = function(s, p, init)
      check_pattern("gmatch", s, p, false, false)
      return finish(pcall(real_gmatch, s, p, init))
    end
    string_tbl.gsub = function(s, p, repl, n)
      check_pattern("gsub", s, p, false, true)
      return finish(pcall(real_gsub, s, p, repl, n))
    end
    local string_lib = freeze(string_tbl, "string")
    -- String methods ("x"):rep(...) look in the string metatable's __index: it must be the
    -- bounded library too, or every bound above could be stepped around with a colon.
    rawset(getmetatable(""), "__index", string_lib)
    local math_names = {}
    for k in next, G.math do if k ~= "randomseed" then math_names[#math_names + 1] = k end end
    local math_tbl = copy(G.math, math_names)
    math_tbl.randomseed = function()
      error("math.randomseed is not available in the sandbox: the host seeds every run", 2)
    end
    local math_lib = freeze(math_tbl, "math")
    local table_tbl = copy(G.table, { "concat", "insert", "move", "pack", "remove", "sort", "unpack" })
    local real_move, max_moved = G.table.move, 10000000
    table_tbl.move = function(a1, f, e, t, a2)
      -- Lua copies e - f + 1 elements in one C loop, nils included: move({}, 1, 1 << 50, 1, {}).
      if math_type(f) == "integer" and math_type(e) == "integer" and e >= f and e - f >= max_moved then
        error(string_format("bad argument #3 to 'move' (more than %d elements to move in the sandbox)", max_moved), 2)
      end
      return real_move(a1, f, e, t, a2)
    end
    local table_lib = freeze(table_tbl, "table")
    local utf8_lib = freeze(copy(G.utf8, { "char", "charpattern", "codepoint", "codes", "len", "offset" }), "utf8")

    -- coroutine.close runs __close handlers, which may close further coroutines: Lua 5.4.4
    -- crashes past about 30,000 such nested closes, so the sandbox stops at 50. The host's
    -- close (P.close) runs the handlers under the watchdog and raises a tripped limit itself.
    local close_depth, max_close_depth = 0, 50
    local function after_close(...)
      close_depth = close_depth - 1
      return ...
    end
    local function bounded_close(co)
      if close_depth >= max_close_depth then
        error(string_format("coroutine.close nested more than %d deep (from __close handlers)", max_close_depth), 2)
      end
      close_depth = close_depth + 1
      return after_close(close(co))
    end
    local function close_results(ok, ...)
      if ok == nil then error((...), 0) end
      return ok, ...
    end
    local function wrap_results(co, ok, ...)
      if ok then return ... end
      bounded_close(co)
      error((...), 0)
    end
    local coroutine_lib = freeze({
      create = create, resume = resume, yield = G.coroutine.yield, status = G.coroutine.status,
      running = G.coroutine.running, isyieldable = G.coroutine.isyieldable,
      close = function(co) return close_results(bounded_close(co)) end,
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
      if type(mt) == "table" and rawget(mt, "__call") ~= nil and type(rawget(mt, "__call")) ~= "function" then
        -- Lua 5.4.4 follows a chain of callable tables in a C loop no limit can stop.
        error("__call must be a function in the sandbox (a chain of callable tables cannot be interrupted)", 2)
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
        if type(chunk) == "function" then
          -- A reader called from Lua, so limits can stop a C function that never returns nil.
          local reader = chunk
          chunk = function() return reader() end
        end
        if select("#", ...) > 0 then return real_load(chunk, name, "t", (...)) end
        return real_load(chunk, name, "t", env)
      end
      setmetatable(env, { __metatable = "the sandbox globals are protected" })
      return env
    end

    -- A read-only deep copy: every table reachable from `t` is copied and frozen (a table met
    -- twice, or in a cycle, becomes one proxy), so no path from it reaches a writable table.
    local function freeze_copy(t, name, seen)
      local done = seen[t]
      if done then return done end
      local copy = {}
      local proxy = freeze(copy, name)
      seen[t] = proxy
      for k, v in next, t do
        if type(v) == "table" and not frozen[v] then v = freeze_copy(v, name .. "." .. tostring(k), seen) end
        rawset(copy, k, v)
      end
      return proxy
    end

    return new_env, function(t, name, deep)
      if deep then return freeze_copy(t, name, {}) end
      return freeze(t, name)
    end
    """#
}
