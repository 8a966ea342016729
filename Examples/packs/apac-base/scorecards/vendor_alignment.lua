-- Vendor QA against internal QA on the same decisions, and how disputes end.
local caliper = require "caliper"

return caliper.scorecard {
  id = "vendor_alignment",
  name = "Vendor QA alignment",
  grain = "vendor",
  period = "month",
  min_n = 30,
  kpis = {
    { id = "vendor_qa", label = "Vendor QA accuracy (paired)", format = "percent",
      value = function(g) return g.qa_gap.vendor_accuracy end },
    { id = "internal_qa", label = "Internal QA accuracy (paired)", weight = 0.5, target = 0.96, format = "percent",
      value = function(g) return g.qa_gap.internal_accuracy end },
    { id = "qa_gap", label = "Vendor − internal gap", weight = 0.3, target = 0.02, better = "lower", format = "percent",
      value = function(g)
        local gap = g.qa_gap.gap
        if gap == nil then return nil, "no decisions audited by both" end
        return gap, g.qa_gap.pairs
      end },
    { id = "overturn_rate", label = "Disputes overturned", weight = 0.2, target = 0.2, better = "lower",
      format = "percent", min_n = 10, value = function(g) return g.qa.overturn_rate end },
  },
  findings = function(card)
    caliper.detect.qa_gap(card, { alpha = 0.01, min_pairs = 30 })
  end,
}
