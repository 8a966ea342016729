-- Bundled with the service (checked at build time by CaliperPackValidator): the health of each
-- queue by week, for an operations view that needs no market pack.
return {
  name = "queue-health",
  version = "1.0.0",
  caliper = 1,
  description = "Queue health by week: SLA, internal QA accuracy and the slowest decisions",
}
