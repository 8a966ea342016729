import Foundation

/// `caliper generate`: a deterministic synthetic APAC data set (same seed and sizes, byte-identical
/// files) with realistic problems planted for reports to find; they are listed in `ANSWERS.md`.
public struct SyntheticDataGenerator {
  /// The random seed.
  public var seed: UInt64
  /// How many decisions to write.
  public var decisions: Int
  /// How many weeks the decisions span, from Monday 2026-06-01.
  public var weeks: Int

  /// Creates a generator.
  public init(seed: UInt64 = 1, decisions: Int = 100_000, weeks: Int = 8) {
    self.seed = seed
    self.decisions = decisions
    self.weeks = weeks
  }

  /// What was written.
  public struct Summary: Sendable, Equatable {
    /// Rows written per file name.
    public var rows: [String: Int]
  }

  static let start = CalendarDate(year: 2026, month: 6, day: 1)!

  /// The week (1-based, from the start) in which the drifting site's accuracy drops.
  var driftWeek: Int { max(1, weeks / 2 + 1) }

  /// The ISO week label of the drift week, as reports name periods (`2026-W27`).
  public var driftWeekLabel: String {
    PeriodGrain.week.label(
      of: Timestamp(CalendarDate(daysSinceEpoch: Self.start.daysSinceEpoch + Int64((driftWeek - 1) * 7))))
  }

  /// Writes every contract file and `ANSWERS.md` into `directory` (created if needed).
  public func write(to directory: URL) throws -> Summary {
    guard decisions > 0, weeks > 0 else {
      throw IngestionError(file: "generate", problem: "decisions and weeks must be positive")
    }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var random = SeededGenerator(seed: seed)
    var summary = Summary(rows: [:])
    let world = try WorldState(random: &random)

    try emit(directory, "policies.csv", &summary) { out in
      out.line("label,severity,policy_version,effective_from")
      for label in SyntheticWorld.labels { out.line("\(label.name),\(label.severity.rawValue),v7,2026-01-05") }
    }
    try emit(directory, "queues.csv", &summary) { out in
      out.line("queue,market,lob,sla_seconds,forecast_daily_volume,go_live")
      for queue in world.queues {
        out.line(
          "\(queue.queue),\(queue.market),\(queue.lineOfBusiness),\(queue.slaSeconds),\(queue.forecastDailyVolume),"
            + (queue.goLive?.description ?? ""))
      }
    }
    try emit(directory, "moderators.csv", &summary) { out in
      out.line("moderator_id,vendor,site,market,queue,hired_on,status")
      for m in world.moderators {
        out.line("\(m.moderatorID),\(m.vendor),\(m.site),\(m.market),\(m.queue),\(m.hiredOn),\(m.status.rawValue)")
      }
    }
    var golden: [(String, String)] = []
    try emitDecisions(directory, world, &random, &summary, &golden)
    try emit(directory, "golden.csv", &summary) { out in
      out.line("item_id,gold_label,policy_version")
      for (item, label) in golden { out.line("\(item),\(label),v7") }
    }
    try emitCalibration(directory, world, &random, &summary)
    try emitOperations(directory, world, &random, &summary)
    try writeAnswers(directory, world)
    return summary
  }

  // MARK: Decisions and audits

  private func emitDecisions(
    _ directory: URL, _ world: WorldState, _ random: inout SeededGenerator, _ summary: inout Summary,
    _ golden: inout [(String, String)]
  ) throws {
    let decisionsFile = try RowFile(directory.appendingPathComponent("decisions.csv"))
    let auditsFile = try RowFile(directory.appendingPathComponent("qa_audits.csv"))
    decisionsFile.line(
      "decision_id,item_id,queue,market,vendor,site,moderator_id,enqueued_at,decided_at,handle_seconds,label,"
        + "ai_label,ai_confidence,ai_assisted,model_version")
    auditsFile.line("audit_id,decision_id,auditor_id,auditor_org,audited_at,qa_label,disputed,dispute_outcome")
    var audits = 0
    let startSeconds = Timestamp(Self.start).secondsSinceEpoch
    for index in 0..<decisions {
      let moderator = world.activeModerators[random.index(below: world.activeModerators.count)]
      let queue = world.queueByID[moderator.queue]!
      let day = random.index(below: weeks * 7)
      let week = day / 7 + 1
      let decided = startSeconds + Int64(day) * 86_400 + Int64(random.index(below: 86_400))
      let turnaround = Int64(Double(queue.slaSeconds) * 1.25 * random.unit() * random.unit().squareRoot())
      let truth = world.drawLabel(market: moderator.market, &random)
      var accuracy = world.siteAccuracy[moderator.site]!
      if moderator.site == SyntheticWorld.driftSite && week == driftWeek { accuracy = SyntheticWorld.driftAccuracy }
      if world.weakModerators.contains(moderator.moderatorID) && truth == SyntheticWorld.weakLabel { accuracy = 0.4 }
      let label = random.unit() < accuracy ? truth : world.drawOther(than: truth, market: moderator.market, &random)
      // The AI: a suggestion on 80% of items; recall per market and label.
      var aiLabel: String?
      var aiConfidence = 0.0
      var assisted = false
      if random.unit() < 0.8 {
        let blind = moderator.market == SyntheticWorld.aiBlindMarket && truth == SyntheticWorld.aiBlindLabel
        let recall = blind ? 0.15 : (truth == "benign" ? 0.97 : 0.86)
        let right = random.unit() < recall
        aiLabel =
          right
          ? truth : (truth == "benign" ? world.drawOther(than: truth, market: moderator.market, &random) : "benign")
        aiConfidence = right ? 0.7 + 0.29 * random.unit() : 0.5 + 0.4 * random.unit()
        assisted = random.unit() < 0.7
      }
      let goldenIndex = index % 40 == 7 ? golden.count : nil
      if let goldenIndex { golden.append(("g-\(goldenIndex)", truth)) }
      let handle = 15 + 90 * random.unit() * random.unit()
      decisionsFile.row { row in
        row.id("d-", index)
        if let goldenIndex { row.id("g-", goldenIndex) } else { row.id("i-", index) }
        row.text(queue.queue)
        row.text(moderator.market)
        row.text(moderator.vendor)
        row.text(moderator.site)
        row.text(moderator.moderatorID)
        row.timestamp(Timestamp(secondsSinceEpoch: decided - turnaround))
        row.timestamp(Timestamp(secondsSinceEpoch: decided))
        row.number(handle, decimals: 1)
        row.text(label)
        if let aiLabel {
          row.text(aiLabel)
          row.number(aiConfidence, decimals: 2)
        } else {
          row.empty()
          row.empty()
        }
        row.text(assisted ? "true" : "false")
        if aiLabel != nil { row.text("mod-2026.06") } else { row.empty() }
      }
      let decisionID = "d-\(index)"
      // Audits: internal QA on 8%; vendor QA on 8%, half of them the same decisions (paired).
      let internalAudit = random.unit() < 0.08
      let vendorAudit = internalAudit ? random.unit() < 0.5 : random.unit() < 0.04
      let auditedAt = Timestamp(secondsSinceEpoch: decided + 86_400 + Int64(random.index(below: 86_400)))
      if internalAudit {
        audits += 1
        let qaLabel = random.unit() < 0.99 ? truth : label
        let disputed = qaLabel != label && random.unit() < 0.2
        let outcome = disputed ? (random.unit() < 0.3 ? "overturned" : "upheld") : ""
        auditsFile.line(
          "a-\(audits),\(decisionID),qa-int-\(random.index(below: 20)),internal,\(auditedAt),\(qaLabel),\(disputed),\(outcome)"
        )
      }
      if vendorAudit {
        audits += 1
        let lenient = moderator.vendor == SyntheticWorld.inflatedVendor ? 0.85 : 0.1
        let qaLabel = label != truth && random.unit() < lenient ? label : truth
        auditsFile.line(
          "a-\(audits),\(decisionID),qa-\(moderator.site.lowercased())-\(random.index(below: 5)),vendor,\(auditedAt),\(qaLabel),false,"
        )
      }
    }
    summary.rows["decisions.csv"] = try decisionsFile.close()
    summary.rows["qa_audits.csv"] = try auditsFile.close()
  }

  // MARK: Calibration, training, incidents, red team

  private func emitCalibration(
    _ directory: URL, _ world: WorldState, _ random: inout SeededGenerator, _ summary: inout Summary
  ) throws {
    try emit(directory, "calibration.csv", &summary) { out in
      out.line("session_id,market,item_id,rater_id,rater_org,label,rated_at")
      for market in SyntheticWorld.markets {
        for week in 1...weeks {
          let when = Timestamp(
            secondsSinceEpoch: Timestamp(Self.start).secondsSinceEpoch + Int64((week - 1) * 7 + 4) * 86_400)
          let raters = [("vendor", 3), ("internal", 2), ("policy", 1)]
          for item in 0..<12 {
            let truth = world.drawLabel(market: market, &random)
            for (organisation, count) in raters {
              for r in 0..<count {
                let skill = organisation == "policy" ? 0.97 : (organisation == "internal" ? 0.93 : 0.88)
                let label = random.unit() < skill ? truth : world.drawOther(than: truth, market: market, &random)
                out.line(
                  "cal-\(market.lowercased())-w\(week),\(market),c-\(market.lowercased())-\(week)-\(item),"
                    + "\(organisation)-\(market.lowercased())-\(r),\(organisation),\(label),\(when)")
              }
            }
          }
        }
      }
    }
  }

  private func emitOperations(
    _ directory: URL, _ world: WorldState, _ random: inout SeededGenerator, _ summary: inout Summary
  ) throws {
    let startSeconds = Timestamp(Self.start).secondsSinceEpoch
    try emit(directory, "training.csv", &summary) { out in
      out.line("moderator_id,module_id,enrolled_at,completed_at,score")
      for moderator in world.activeModerators where random.unit() < 0.3 {
        let enrolled = startSeconds + Int64(random.index(below: weeks * 7)) * 86_400
        let done = random.unit() < 0.7
        out.line(
          "\(moderator.moderatorID),policy-v7-refresher,\(Timestamp(secondsSinceEpoch: enrolled)),"
            + (done
              ? "\(Timestamp(secondsSinceEpoch: enrolled + 2 * 86_400)),\(fixed(0.6 + 0.4 * random.unit(), decimals: 2))"
              : ","))
      }
    }
    try emit(directory, "incidents.csv", &summary) { out in
      out.line("incident_id,market,queue,severity,category,opened_at,resolved_at")
      var number = 0
      for queue in world.queues {
        let count = queue.queue == SyntheticWorld.understaffedQueue ? 4 : random.index(below: 2)
        for _ in 0..<count {
          number += 1
          let opened = startSeconds + Int64(random.index(below: weeks * 7 * 86_400))
          let severity = queue.queue == SyntheticWorld.understaffedQueue ? "sev2" : "sev\(3 + random.index(below: 2))"
          let category =
            queue.queue == SyntheticWorld.understaffedQueue
            ? "backlog" : ["tooling", "policy_gap"][random.index(below: 2)]
          out.line(
            "inc-\(number),\(queue.market),\(queue.queue),\(severity),\(category),\(Timestamp(secondsSinceEpoch: opened)),"
              + "\(Timestamp(secondsSinceEpoch: opened + 3_600 + Int64(random.index(below: 86_400))))")
        }
      }
    }
    try emit(directory, "redteam.csv", &summary) { out in
      out.line("case_id,market,technique,expected_label,ai_label,ai_confidence,model_version")
      let techniques = ["leetspeak", "code_switching", "image_text", "emoji_substitution", "transliteration"]
      var number = 0
      for market in SyntheticWorld.markets {
        for _ in 0..<30 {
          number += 1
          var expected = world.drawOther(than: "benign", market: market, &random)
          if market == SyntheticWorld.aiBlindMarket && number % 3 == 0 { expected = SyntheticWorld.aiBlindLabel }
          let blind = market == SyntheticWorld.aiBlindMarket && expected == SyntheticWorld.aiBlindLabel
          let caught = random.unit() < (blind ? 0.1 : 0.75)
          out.line(
            "rt-\(number),\(market),\(techniques[random.index(below: techniques.count)]),\(expected),"
              + "\(caught ? expected : "benign"),\(fixed(0.5 + 0.49 * random.unit(), decimals: 2)),mod-2026.06")
        }
      }
    }
  }

  // MARK: Answers

  private func writeAnswers(_ directory: URL, _ world: WorldState) throws {
    let week = driftWeekLabel
    let understaffed = world.queueByID[SyntheticWorld.understaffedQueue]!
    let staff = world.activeModerators.filter { $0.queue == understaffed.queue }.count
    let text = """
      # Planted problems (seed \(seed), \(decisions) decisions, \(weeks) weeks from \(Self.start))

      A good report on this data set finds each of these.

      1. **Site accuracy drop**: site `\(SyntheticWorld.driftSite)` (Kaizen BPO, JP) falls from about \
      95.5% to about \(Int(SyntheticWorld.driftAccuracy * 100))% QA accuracy in week `\(week)` only.
      2. **Vendor QA inflation**: vendor `\(SyntheticWorld.inflatedVendor)`'s own QA marks most wrong \
      decisions correct; on decisions audited by both, its QA accuracy runs well above internal QA.
      3. **Moderators weak on one label**: \(world.weakModerators.sorted().map { "`\($0)`" }.joined(separator: ", ")) \
      at `\(SyntheticWorld.weakModeratorSite)` get `\(SyntheticWorld.weakLabel)` right only about 40% of the time.
      4. **AI blind spot**: in market `\(SyntheticWorld.aiBlindMarket)` the AI suggests `\(SyntheticWorld.aiBlindLabel)` \
      with about 15% recall (other labels: about 86%); the red-team set shows the same gap.
      5. **Under-staffed go-live**: queue `\(understaffed.queue)` goes live on \(understaffed.goLive!) with a \
      forecast of \(understaffed.forecastDailyVolume) decisions a day and \(staff) active moderators \
      (about \(staff * WorldState.dailyCapacity) a day at \(WorldState.dailyCapacity) each); it also has backlog incidents.

      """
    try text.write(to: directory.appendingPathComponent("ANSWERS.md"), atomically: true, encoding: .utf8)
  }

  private func emit(_ directory: URL, _ name: String, _ summary: inout Summary, _ body: (RowFile) throws -> Void) throws
  {
    let file = try RowFile(directory.appendingPathComponent(name))
    try body(file)
    summary.rows[name] = try file.close()
  }
}
