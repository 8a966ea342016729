-- Vendor QA must measure what internal QA measures: on decisions both audited, the vendor's
-- accuracy may not run significantly above internal QA's, and disputes must not be overturned
-- at a high rate.
local caliper = require "caliper"

return caliper.alignment {
  id = "qa_alignment",
  name = "Vendor QA measurement alignment",
  params = { max_gap = 0.03, alpha = 0.01, min_pairs = 30, max_overturn = 0.4, min_disputes = 10,
            max_label_gap = 0.05, min_label_audits = 30 },
  rules = {
    { id = "vendor_qa_inflation", over = "vendors", severity = "high",
      description = "paired vendor-vs-internal QA gap (McNemar)",
      check = function(v, p)
        local gap = v.qa_gap
        if gap.pairs < p.min_pairs or gap.gap == nil or gap.p_value == nil then return end
        if gap.gap > p.max_gap and gap.p_value < p.alpha then
          return { subject = v.name, message = ("vendor QA %.1f%% vs internal %.1f%% on %s shared audits (%s)"):format(
            gap.vendor_accuracy.value * 100, gap.internal_accuracy.value * 100, caliper.format.count(gap.pairs),
            caliper.format.p(gap.p_value)),
            evidence = { gap = gap.gap, pairs = gap.pairs, p = gap.p_value } }
        end
      end },
    { id = "label_pass_gap", over = "vendors", severity = "medium",
      description = "labels where vendor QA passes decisions internal QA finds wrong (BH across labels)",
      check = function(v, p)
        local tested, pvalues = {}, {}
        for _, l in ipairs(v.qa_gap:by_label()) do
          if l.p and l.vendor_pass.n >= p.min_label_audits and l.internal_pass.n >= p.min_label_audits then
            tested[#tested + 1] = l
            pvalues[#pvalues + 1] = l.p
          end
        end
        if #tested == 0 then return end
        local adjusted = caliper.stats.benjamini_hochberg(pvalues)
        local findings = {}
        for i, l in ipairs(tested) do
          if l.gap > p.max_label_gap and adjusted[i] < p.alpha then
            findings[#findings + 1] = { subject = v.name .. " / " .. l.label,
              message = ("vendor QA passes %.1f%% of %s decisions, internal QA %.1f%% (adjusted %s)"):format(
                l.vendor_pass.value * 100, l.label, l.internal_pass.value * 100, caliper.format.p(adjusted[i])),
              evidence = { gap = l.gap, vendor_audits = l.vendor_pass.n, internal_audits = l.internal_pass.n } }
          end
        end
        return findings
      end },
    { id = "dispute_overturns", over = "vendors", severity = "medium",
      description = "disputes settled in the moderator's favour",
      check = function(v, p)
        local rate = v.qa.overturn_rate
        if v.qa.disputed >= p.min_disputes and rate.lo and rate.lo > p.max_overturn then
          return { subject = v.name, message = ("%.1f%% of %s disputes overturned"):format(rate.value * 100, caliper.format.count(v.qa.disputed)) }
        end
      end },
  },
}
