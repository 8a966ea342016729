-- Each QA auditor must keep agreeing with internal reference audits; a falling trend is drift.
local caliper = require "caliper"

return caliper.alignment {
  id = "auditor_drift",
  name = "QA auditor drift",
  params = { min_audits = 20, alpha = 0.01, min_drop = 0.15 },
  rules = {
    { id = "agreement_trend", over = "auditors", severity = "high",
      description = "Cochran–Armitage trend in weekly agreement with internal QA",
      check = function(a, p)
        if a.agreement.n < p.min_audits or a.trend_z == nil then return end
        local first, last = a.first_week, a.last_week
        if a.trend_z < 0 and a.trend_p < p.alpha and first.value - last.value >= p.min_drop then
          return { subject = a.id, message = ("agreement with internal QA fell from %.1f%% to %.1f%% (trend %s)"):format(
            first.value * 100, last.value * 100, caliper.format.p(a.trend_p)), evidence = { z = a.trend_z } }
        end
      end },
  },
}
