-- A first Caliper script: run it with `swift run caliper eval Examples/scripts/hello.lua`.
-- It runs in the sandbox: no files, no network, no shell; time and memory are capped.
local caliper = require "caliper"
local stats = caliper.stats

print(("Caliper %s (Lua API v%d)"):format(caliper.version, caliper.api_version))

-- Weekly QA accuracy per site with Wilson 95% intervals, worst first.
local sites = {
  { name = "JP Tokyo-1", audited = 412, correct = 398 },
  { name = "JP Osaka-2", audited = 388, correct = 352 },
  { name = "KR Seoul-1", audited = 0, correct = 0 },
}
table.sort(sites, function(a, b)
  return (a.audited > 0 and a.correct / a.audited or 2) < (b.audited > 0 and b.correct / b.audited or 2)
end)
for _, site in ipairs(sites) do
  local lo, hi = stats.wilson(site.correct, site.audited)
  if lo then
    print(("%-11s accuracy %5.1f%%  95%% CI %5.1f%%..%5.1f%%  n=%d"):format(
      site.name, 100 * site.correct / site.audited, 100 * lo, 100 * hi, site.audited))
  else
    print(("%-11s insufficient data (%s)"):format(site.name, hi))
  end
end

-- Is Osaka's drop from last week's 94.3% (n=401) real?
local z, p = stats.two_proportion_z(352, 388, 378, 401)
print(("JP Osaka-2 week over week: z = %.2f, p = %.4f"):format(z, p))

-- How many audits next week to know each site's accuracy within ±2 points?
print(("audit sample per site for ±2%%: %d"):format(stats.sample_size { margin = 0.02, p = 0.95 }))
