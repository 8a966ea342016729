-- Calibration standard: every session must show that vendor raters label like the reference
-- (policy where it rated, else internal QA), and no rater may drift far below the rest.
local caliper = require "caliper"

return caliper.alignment {
  id = "apac_calibration",
  name = "APAC calibration standard",
  params = {
    min_alpha = 0.667,       -- Krippendorff's tentative-conclusions threshold
    min_rater_accuracy = 0.7,
    min_items = 10,
  },
  rules = {
    { id = "session_agreement", over = "sessions", severity = "high",
      description = "Krippendorff's alpha among all raters: the interval must reach the threshold",
      check = function(s, p)
        if s.items < p.min_items then
          return caliper.finding { severity = "low", subject = s.id,
            message = ("only %d items: too few to judge agreement (need %d)"):format(s.items, p.min_items) }
        end
        local a = s:agreement { metric = "krippendorff", among = "all" }
        if not a.defined then
          return { subject = s.id, message = "agreement undefined: " .. a.reason }
        end
        if a.hi and a.hi < p.min_alpha then
          return { subject = s.id, message = ("alpha %.2f (95%% CI %.2f–%.2f) below %.3f"):format(
            a.value, a.lo, a.hi, p.min_alpha), evidence = { alpha = a.value, items = a.n } }
        end
      end },
    { id = "vendor_vs_reference", over = "sessions", severity = "medium",
      description = "vendor raters against the session's reference labels",
      check = function(s, p)
        local findings = {}
        for _, r in ipairs(s:rater_accuracy()) do
          local acc = r.accuracy
          if r.org == "vendor" and acc.hi and acc.hi < p.min_rater_accuracy then
            findings[#findings + 1] = { subject = s.id .. " / " .. r.rater,
              message = ("vendor rater %s matches the reference on %.1f%% of %d items (CI up to %.1f%%)"):format(
                r.rater, acc.value * 100, acc.n, acc.hi * 100) }
          end
        end
        return findings
      end },
  },
}
