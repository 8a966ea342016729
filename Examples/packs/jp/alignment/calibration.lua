-- Japan calibrates to a stricter standard than the region.
local caliper = require "caliper"

return caliper.alignment {
  base = "apac_calibration",
  params = { min_alpha = 0.75 },
}
