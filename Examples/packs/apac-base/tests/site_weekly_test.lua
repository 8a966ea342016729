-- Unit tests of the regional site scorecard: its declaration and its KPI functions on
-- hand-made group views (plain tables with the fields the KPIs read).
local card = require "scorecards.site_weekly"
local targets = require "lib.targets"

local function kpi(id)
  for _, k in ipairs(card.kpis) do
    if k.id == id then return k end
  end
  error("no KPI " .. id)
end

return {
  declares_site_by_week = function()
    assert(card.grain == "site" and card.period == "week", "site weekly is by site and week")
    assert(card.min_n == targets.min_audits)
  end,

  weights_sum_to_one = function()
    local total = 0
    for _, k in ipairs(card.kpis) do total = total + (k.weight or 0) end
    assert(math.abs(total - 1) < 1e-9, "weights sum to " .. total)
  end,

  critical_errors_are_per_thousand_audits = function()
    local value, n = kpi("critical_errors").value({ qa = { audited = 400, critical_errors = 2 } })
    assert(value == 5 and n == 400, "2 of 400 audits is 5 per 1000, got " .. tostring(value))
  end,

  critical_errors_without_audits_are_undefined = function()
    local value, reason = kpi("critical_errors").value({ qa = { audited = 0, critical_errors = 0 } })
    assert(value == nil and reason == "no audits")
  end,

  night_share_reads_its_measure = function()
    local asked
    local g = { measure = function(_, id) asked = id; return "metric" end }
    assert(kpi("night_share").value(g) == "metric" and asked == "night_share")
  end,
}
