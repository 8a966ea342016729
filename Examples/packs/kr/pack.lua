return {
  name = "kr",
  version = "1.0.0",
  caliper = 1,
  markets = { "KR" },
  extends = "apac-base",
  description = "Korea: tighter SLA, and hate-speech recall as a KPI of its own.",
}
