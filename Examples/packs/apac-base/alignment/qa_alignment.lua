-- Vendor QA must measure what internal QA measures: on decisions both audited, the vendor's
-- accuracy may not run significantly above internal QA's, and disputes must not be overturned
-- at a high rate.
local caliper = require "caliper"

return caliper.alignment {
  id = "qa_alignment",
  name = "Vendor QA measurement alignment",
  params = { max_gap = 0.03, alpha = 0.01, min_pairs = 30, max_overturn = 0.4, min_disputes = 10 },
  rules = {
    { id = "vendor_qa_inflation", over = "vendors", severity = "high",
      description = "paired vendor-vs-internal QA gap (McNemar)",
      check = function(v, p)
        local gap = v.qa_gap
        if gap.pairs < p.min_pairs or gap.gap == nil or gap.p_value == nil then return end
        if gap.gap > p.max_gap and gap.p_value < p.alpha then
          return { subject = v.name, message = ("vendor QA %.1f%% vs internal %.1f%% on %d shared audits (p = %.2g)"):format(
            gap.vendor_accuracy.value * 100, gap.internal_accuracy.value * 100, gap.pairs, gap.p_value),
            evidence = { gap = gap.gap, pairs = gap.pairs, p = gap.p_value } }
        end
      end },
    { id = "dispute_overturns", over = "vendors", severity = "medium",
      description = "disputes settled in the moderator's favour",
      check = function(v, p)
        local rate = v.qa.overturn_rate
        if v.qa.disputed >= p.min_disputes and rate.lo and rate.lo > p.max_overturn then
          return { subject = v.name, message = ("%.0f%% of %d disputes overturned"):format(rate.value * 100, v.qa.disputed) }
        end
      end },
  },
}
