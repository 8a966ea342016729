-- A first Caliper script: run it with `swift run caliper eval Examples/scripts/hello.lua`.
-- It runs in the sandbox: no files, no network, no shell; time and memory are capped.
local caliper = require "caliper"

print(("Caliper %s (Lua API v%d)"):format(caliper.version, caliper.api_version))

-- A weekly QA accuracy with its Wilson 95% interval, written by hand for now.
local audited, correct = 412, 398
local p = correct / audited
local z = 1.959963984540054
local centre = (p + z * z / (2 * audited)) / (1 + z * z / audited)
local half = z * math.sqrt(p * (1 - p) / audited + z * z / (4 * audited * audited)) / (1 + z * z / audited)
print(("JP-Tokyo QA accuracy %.1f%% (95%% CI %.1f%%..%.1f%%, n=%d)"):format(
  100 * p, 100 * (centre - half), 100 * (centre + half), audited))
