-- What a vendor reports in its own scorecard must match what we measure on the same decisions:
-- a reported proportion outside our interval, or a reported time off by more than a tolerance,
-- is a discrepancy to raise at the business review.
local caliper = require "caliper"

return caliper.alignment {
  id = "vendor_reports",
  name = "Vendor self-reports against measurement",
  params = { confidence = 0.99, min_gap = 0.01, seconds_tolerance = 0.1, min_n = 50 },
  rules = {
    { id = "reported_matches_measured", over = "reports", severity = "high",
      description = "reported value inside the measured interval (proportions) or within a tolerance (seconds)",
      check = function(r, p)
        local m = r.measured
        if not m.defined then
          return { severity = "medium", subject = r.id, message = "cannot verify: " .. m.reason }
        end
        if m.n < p.min_n then return end
        if r.proportion then
          local lo, hi = r:interval(p.confidence)
          if lo and (r.reported < lo or r.reported > hi) and math.abs(r.difference) >= p.min_gap then
            return { subject = r.id, message = ("%s reports %.1f%% for %s; we measure %.1f%% (%.0f%% interval %.1f–%.1f%%, n = %s)"):format(
              r.vendor, r.reported * 100, r.period, m.value * 100, p.confidence * 100, lo * 100, hi * 100, caliper.format.count(m.n)),
              evidence = { reported = r.reported, measured = m.value, n = m.n } }
          end
        elseif math.abs(r.difference) > p.seconds_tolerance * m.value then
          return { subject = r.id, message = ("%s reports %.0f s for %s; we measure %.0f s"):format(
            r.vendor, r.reported, r.period, m.value) }
        end
      end },
  },
}
