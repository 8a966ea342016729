local t = setmetatable({}, { __index = function(_, k) return k .. k end, __close = function() end })
local ok, e = pcall(string.find, ("a"):rep(300), "(a*)*b")
local co = coroutine.wrap(function(...) local x <close> = t coroutine.yield(select("#", ...)) error({}) end)
co(1, 2, 3)
pcall(co)
return load("return ...", "=x", "t", {})(t.x), ok, e
