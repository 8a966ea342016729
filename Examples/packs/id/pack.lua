return {
  name = "id",
  version = "1.0.0",
  caliper = 1,
  markets = { "ID" },
  extends = "apac-base",
  description = "Indonesia: scam and fraud weigh more; critical errors weigh more.",
}
