-- Every market applies a policy label the same way: where markets differ on a label, the
-- markets that fall below the others are flagged with their accuracy and calibration.
local caliper = require "caliper"

return caliper.alignment {
  id = "cross_region",
  name = "Cross-region policy alignment",
  params = { alpha = 0.01, min_audits = 30, min_gap = 0.05 },
  rules = {
    { id = "markets_apply_labels_alike", over = "labels", severity = "medium",
      description = "chi-squared across markets (BH-adjusted over labels), then each market against the rest",
      check = function(l, p)
        local diverging = {}
        for _, name in ipairs(l:diverging(p.alpha)) do diverging[name] = true end
        local pooled_k, pooled_n = 0, 0
        for _, m in ipairs(l.markets) do
          if m.accuracy.defined then pooled_k, pooled_n = pooled_k + m.accuracy.k, pooled_n + m.accuracy.n end
        end
        local findings = {}
        for _, m in ipairs(l.markets) do
          local a = m.accuracy
          if diverging[m.market] and a.n >= p.min_audits and pooled_k / pooled_n - a.value >= p.min_gap then
            local cal = m.calibration.defined and caliper.format.percent(m.calibration.value) or "no calibration items"
            findings[#findings + 1] = { subject = l.label .. " / " .. m.market,
              message = ("%s moderators get %s right %.1f%% of the time against %.1f%% region-wide (adjusted %s; calibration %s)"):format(
                m.market, l.label, a.value * 100, pooled_k / pooled_n * 100, caliper.format.p(l.adjusted_p), cal) }
          end
        end
        return findings
      end },
  },
}
