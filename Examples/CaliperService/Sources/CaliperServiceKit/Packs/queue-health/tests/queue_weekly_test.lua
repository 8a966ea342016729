-- The queue scorecard's declaration and its handle-time KPI on hand-made groups.
local card = require "scorecards.queue_weekly"

local function kpi(id)
  for _, k in ipairs(card.kpis) do
    if k.id == id then return k end
  end
  error("no KPI " .. id)
end

return {
  declares_queue_by_week = function()
    assert(card.grain == "queue" and card.period == "week")
  end,

  weights_sum_to_one = function()
    local total = 0
    for _, k in ipairs(card.kpis) do total = total + k.weight end
    assert(math.abs(total - 1) < 1e-9, "weights sum to " .. total)
  end,

  handle_p90_counts_the_decisions = function()
    local value, n = kpi("handle_p90").value({ decisions = 40, handle = { p90 = 95.5 } })
    assert(value == 95.5 and n == 40)
  end,

  handle_p90_without_decisions_is_undefined = function()
    local value, reason = kpi("handle_p90").value({ decisions = 0, handle = {} })
    assert(value == nil and reason == "no decisions")
  end,
}
