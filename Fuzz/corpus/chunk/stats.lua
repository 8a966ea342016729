local stats = require("caliper").stats
local lo, hi = stats.wilson(3, 10)
local a = stats.krippendorff_alpha({ {1, 1, 2}, {2, 2, 2}, {1, 2, nil} })
local t = setmetatable({}, { __index = function(t, k) return k end })
return string.format("%q", tostring(lo)) .. t.x, coroutine.wrap(function() coroutine.yield(1) end)()
