-- Japan keeps the regional curriculum, trains at 3 hours a week within 10 a site, and adds a
-- module on harassment of public figures, which JP moderators take after the regional one.
local caliper = require "caliper"

return caliper.curriculum {
  base = "apac_upskilling",
  name = "JP upskilling",
  modules = {
    { id = "HAR-JP-201", title = "Harassment of public figures (JP)", covers = { "harassment" },
      requires = { "HAR-101" }, hours = 2 },
  },
  capacity = { hours_per_week = 3, site_hours_per_week = { default = 10 } },
}
