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
  /// Whether to plant the problems `ANSWERS.md` lists; without them the same organisation
  /// runs cleanly (a control set on which no rule should fire).
  public var plants: Bool
  /// Moderators per site (at least 4: one planted site has three weak moderators among others).
  /// Fewer moderators share the same decisions, so each has more audits: per-moderator findings
  /// show in smaller data sets.
  public var moderatorsPerSite: Int

  /// The fewest moderators per site.
  public static let minimumModeratorsPerSite = 4

  /// Creates a generator.
  public init(
    seed: UInt64 = 1, decisions: Int = 100_000, weeks: Int = 8, plants: Bool = true,
    moderatorsPerSite: Int = 12
  ) {
    self.seed = seed
    self.decisions = decisions
    self.weeks = weeks
    self.plants = plants
    self.moderatorsPerSite = moderatorsPerSite
  }

  /// What was written.
  public struct Summary: Sendable, Equatable {
    /// Rows written per file name.
    public var rows: [String: Int]
  }

  static let start = CalendarDate(year: 2026, month: 6, day: 1)!

  /// The week (1-based, from the start) in which the drifting site's accuracy drops.
  var driftWeek: Int { max(1, weeks / 2 + 1) }

  /// The day the changed label's new policy version takes effect: mid-period.
  var policyChangeDate: CalendarDate {
    CalendarDate(daysSinceEpoch: Self.start.daysSinceEpoch + Int64(max(1, weeks * 7 / 2)))
  }

  /// The planted training (``SyntheticWorld/trainingPlants``): each trained moderator's plant,
  /// enrolment and completion (seconds since the epoch), drawn from a stream of their own.
  func plantedTraining(
    _ world: WorldState
  ) -> [String: (plant: SyntheticWorld.TrainingPlant, enrolled: Int64, completed: Int64)] {
    guard plants else { return [:] }
    var random = SeededGenerator(seed: seed ^ 0x7124_11A5)
    let start = Timestamp(Self.start).secondsSinceEpoch
    var planted: [String: (SyntheticWorld.TrainingPlant, Int64, Int64)] = [:]
    for plant in SyntheticWorld.trainingPlants {
      for moderator in world.activeModerators where plant.sites.contains(moderator.site) {
        // Enrolled a little before the middle of the period, done three days later.
        let enrolled = start + Int64(max(1, weeks * 7 / 2 - 4) + random.index(below: 3)) * 86_400
        planted[moderator.moderatorID] = (plant, enrolled, enrolled + 3 * 86_400)
      }
    }
    return planted.mapValues { (plant: $0.0, enrolled: $0.1, completed: $0.2) }
  }

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
    guard moderatorsPerSite >= Self.minimumModeratorsPerSite, moderatorsPerSite <= 1_000 else {
      throw IngestionError(
        file: "generate", problem: "moderators per site must lie in \(Self.minimumModeratorsPerSite)...1000")
    }
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    var random = SeededGenerator(seed: seed)
    var summary = Summary(rows: [:])
    let world = try WorldState(random: &random, plants: plants, moderatorsPerSite: moderatorsPerSite)

    try emit(directory, "policies.csv", &summary) { out in
      out.line("label,severity,policy_version,effective_from")
      for label in SyntheticWorld.labels { out.line("\(label.name),\(label.severity.rawValue),v7,2026-01-05") }
      // One label's policy changes mid-period (same severity, a new version).
      let changed = SyntheticWorld.labels.first { $0.name == SyntheticWorld.changedLabel }!
      out.line("\(changed.name),\(changed.severity.rawValue),\(SyntheticWorld.changedVersion),\(policyChangeDate)")
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
    var measured = VendorMonthTally()
    try emitDecisions(directory, world, &random, &summary, &golden, &measured)
    try emit(directory, "golden.csv", &summary) { out in
      out.line("item_id,gold_label,policy_version")
      for (item, label) in golden { out.line("\(item),\(label),v7") }
    }
    try emitCalibration(directory, world, &random, &summary)
    try emitOperations(directory, world, &random, &summary)
    try emitVendorReports(directory, measured, &summary)
    try writeAnswers(directory, world)
    return summary
  }

  // MARK: Decisions and audits

  private func emitDecisions(
    _ directory: URL, _ world: WorldState, _ random: inout SeededGenerator, _ summary: inout Summary,
    _ golden: inout [(String, String)], _ measured: inout VendorMonthTally
  ) throws {
    // Plants draw from streams of their own, and the main stream's draws never depend on a
    // plant (every draw is made whether or not its outcome is used), so the decisions are the
    // same with or without plants but for the planted ones.
    var plantRandom = SeededGenerator(seed: seed ^ 0x5EED_9A17)
    var labelRandom = SeededGenerator(seed: seed ^ 0x1ABE_1A17)
    var driftingAudits: [Int: Int] = [:]
    let trained = plantedTraining(world)
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
      let correctDraw = random.unit()
      let wrongLabel = world.drawOther(than: truth, market: moderator.market, &random)
      var label = correctDraw < world.siteAccuracy[moderator.site]! ? truth : wrongLabel
      var planted: Double?
      if plants && moderator.site == SyntheticWorld.driftSite && week == driftWeek {
        planted = SyntheticWorld.driftAccuracy
      }
      if world.weakModerators.contains(moderator.moderatorID) && truth == SyntheticWorld.weakLabel { planted = 0.4 }
      if let training = trained[moderator.moderatorID], truth == training.plant.label,
        !(training.plant.works && decided > training.completed)
      {
        planted = training.plant.accuracyBefore
      }
      if let planted {
        label =
          labelRandom.unit() < planted ? truth : world.drawOther(than: truth, market: moderator.market, &labelRandom)
      }
      // The AI: a suggestion on 80% of items; recall per market and label.
      var aiLabel: String?
      var aiConfidence = 0.0
      var assisted = false
      if random.unit() < 0.8 {
        let blind = plants && moderator.market == SyntheticWorld.aiBlindMarket && truth == SyntheticWorld.aiBlindLabel
        let recall = blind ? 0.15 : (truth == "benign" ? 0.97 : 0.86)
        let right = random.unit() < recall
        let otherSuggestion = world.drawOther(than: truth, market: moderator.market, &random)
        aiLabel = right ? truth : (truth == "benign" ? otherSuggestion : "benign")
        let confidenceDraw = random.unit()
        aiConfidence = right ? 0.7 + 0.29 * confidenceDraw : 0.5 + 0.4 * confidenceDraw
        assisted = random.unit() < 0.7
      }
      // An over-reliant moderator takes what the AI suggests, right or wrong.
      if let aiLabel, assisted, world.overreliantModerators.contains(moderator.moderatorID),
        plantRandom.unit() < 0.95
      {
        label = aiLabel
      }
      let month = PeriodGrain.month.label(of: Timestamp(secondsSinceEpoch: decided))
      measured.add(
        vendor: moderator.vendor, month: month,
        withinSLA: Definitions.isWithinSLA(turnaroundSeconds: turnaround, slaSeconds: Int64(queue.slaSeconds)))
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
        measured.add(
          vendor: moderator.vendor, month: month, correct: Definitions.isCorrect(label: label, reference: qaLabel))
        let (disputeDraw, outcomeDraw) = (random.unit(), random.unit())
        let disputed = qaLabel != label && disputeDraw < 0.2
        let outcome = disputed ? (outcomeDraw < 0.3 ? "overturned" : "upheld") : ""
        auditsFile.line(
          "a-\(audits),\(decisionID),qa-int-\(random.index(below: 20)),internal,\(auditedAt),\(qaLabel),\(disputed),\(outcome)"
        )
      }
      if vendorAudit {
        audits += 1
        let lenient = plants && moderator.vendor == SyntheticWorld.inflatedVendor ? 0.85 : 0.1
        let lenientDraw = random.unit()
        var qaLabel = label != truth && lenientDraw < lenient ? label : truth
        // Auditor 0 of the drifting auditor's site is the drifting auditor alone.
        var auditor = random.index(below: 5)
        if plants && moderator.site == SyntheticWorld.driftingAuditorSite && auditor == 0 { auditor = 1 }
        // The drifting auditor does up to a set number of the site's paired audits each week
        // (so the plant looks the same at any size) and disagrees more each week.
        if plants && internalAudit && moderator.site == SyntheticWorld.driftingAuditorSite
          && driftingAudits[week, default: 0] < SyntheticWorld.driftingAuditorWeeklyAudits
        {
          driftingAudits[week, default: 0] += 1
          auditor = 0
          let drift = 0.02 + 0.7 * Double(week - 1) / Double(max(1, weeks - 1))
          if plantRandom.unit() < drift {
            qaLabel = world.drawOther(than: qaLabel, market: moderator.market, &plantRandom)
          }
        }
        auditsFile.line(
          "a-\(audits),\(decisionID),qa-\(moderator.site.lowercased())-\(auditor),vendor,\(auditedAt),\(qaLabel),false,"
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
    let lowAgreementWeek = min(SyntheticWorld.lowAgreementWeek, weeks)
    try emit(directory, "calibration.csv", &summary) { out in
      out.line("session_id,market,item_id,rater_id,rater_org,label,rated_at")
      for market in SyntheticWorld.markets {
        for week in 1...weeks {
          let when = Timestamp(
            secondsSinceEpoch: Timestamp(Self.start).secondsSinceEpoch + Int64((week - 1) * 7 + 4) * 86_400)
          let raters = [("vendor", 3), ("internal", 2), ("policy", 1)]
          let confused = plants && market == SyntheticWorld.lowAgreementMarket && week == lowAgreementWeek
          for item in 0..<12 {
            // Calibration sets are curated: most items carry a violation, so labels vary.
            let truth =
              random.unit() < 0.7
              ? world.drawOther(than: "benign", market: market, &random) : world.drawLabel(market: market, &random)
            for (organisation, count) in raters {
              for r in 0..<count {
                var skill = organisation == "policy" ? 0.98 : (organisation == "internal" ? 0.95 : 0.92)
                if confused && organisation != "policy" { skill = 0.3 }
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
      // The changed policy's module, in the week before it takes effect: nearly everyone
      // finishes it, or (planted) most do not.
      let effective = Timestamp(policyChangeDate).secondsSinceEpoch
      for moderator in world.activeModerators {
        let completes = random.unit() < (plants ? 0.25 : 0.95)
        let enrolled = effective - Int64(7 + random.index(below: 7)) * 86_400
        out.line(
          "\(moderator.moderatorID),\(SyntheticWorld.changeModule),\(Timestamp(secondsSinceEpoch: enrolled)),"
            + (completes
              ? "\(Timestamp(secondsSinceEpoch: enrolled + Int64(1 + random.index(below: 5)) * 86_400)),"
                + fixed(0.7 + 0.3 * random.unit(), decimals: 2)
              : ","))
      }
      // The planted training, with its dates as the decisions used them.
      for (moderator, training) in plantedTraining(world).sorted(by: { $0.key < $1.key }) {
        out.line(
          "\(moderator),\(training.plant.module),\(Timestamp(secondsSinceEpoch: training.enrolled)),"
            + "\(Timestamp(secondsSinceEpoch: training.completed)),0.85")
      }
      // Onboarding for queues that go live after the data ends: done by all assigned staff.
      for queue in world.queues where queue.goLive.map({ $0 > Self.start }) == true {
        for moderator in world.activeModerators where moderator.queue == queue.queue {
          let enrolled = startSeconds + Int64(random.index(below: 7)) * 86_400
          let completes = !plants || queue.queue != SyntheticWorld.understaffedQueue || random.unit() < 0.3
          out.line(
            "\(moderator.moderatorID),onboarding-\(queue.queue),\(Timestamp(secondsSinceEpoch: enrolled)),"
              + (completes ? "\(Timestamp(secondsSinceEpoch: enrolled + 3 * 86_400)),0.9" : ","))
        }
      }
    }
    try emit(directory, "incidents.csv", &summary) { out in
      out.line("incident_id,market,queue,severity,category,opened_at,resolved_at")
      var number = 0
      for queue in world.queues {
        let backlog = plants && queue.queue == SyntheticWorld.understaffedQueue
        let count = backlog ? 4 : random.index(below: 2)
        for _ in 0..<count {
          number += 1
          let opened = startSeconds + Int64(random.index(below: weeks * 7 * 86_400))
          let severity = backlog ? "sev2" : "sev\(3 + random.index(below: 2))"
          let category = backlog ? "backlog" : ["tooling", "policy_gap"][random.index(below: 2)]
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
      for version in SyntheticWorld.modelVersions {
        let newest = version == SyntheticWorld.modelVersions.last
        for market in SyntheticWorld.markets {
          for _ in 0..<40 {
            number += 1
            var expected = world.drawOther(than: "benign", market: market, &random)
            if market == SyntheticWorld.aiBlindMarket && number % 3 == 0 { expected = SyntheticWorld.aiBlindLabel }
            let technique = techniques[random.index(below: techniques.count)]
            let blind = plants && market == SyntheticWorld.aiBlindMarket && expected == SyntheticWorld.aiBlindLabel
            let regressed = plants && newest && technique == SyntheticWorld.regressedTechnique
            let caught = random.unit() < (blind ? 0.1 : regressed ? 0.3 : 0.8)
            out.line(
              "rt-\(number),\(market),\(technique),\(expected),"
                + "\(caught ? expected : "benign"),\(fixed(0.5 + 0.49 * random.unit(), decimals: 2)),\(version)")
          }
        }
      }
    }
  }

  /// `vendor_reports.csv`: each vendor's monthly self-reported QA accuracy and SLA rate, as
  /// measured from the same audits and decisions Caliper reads (rounded as a vendor would);
  /// the over-reporting vendor (planted) adds to its accuracy.
  private func emitVendorReports(_ directory: URL, _ measured: VendorMonthTally, _ summary: inout Summary) throws {
    try emit(directory, "vendor_reports.csv", &summary) { out in
      out.line("vendor,site,period,kpi,value")
      for key in measured.keys {
        let tally = measured.tallies[key]!
        if tally.audits > 0 {
          var accuracy = Double(tally.correct) / Double(tally.audits)
          if plants && key.vendor == SyntheticWorld.overReportingVendor {
            accuracy = min(1, accuracy + SyntheticWorld.overReportedBy)
          }
          out.line("\(key.vendor),,\(key.month),qa_accuracy,\(fixed(accuracy, decimals: 4))")
        }
        if tally.decisions > 0 {
          let within = Double(tally.withinSLA) / Double(tally.decisions)
          out.line("\(key.vendor),,\(key.month),sla_within_rate,\(fixed(within, decimals: 4))")
        }
      }
    }
  }

  // MARK: Answers

  private func writeAnswers(_ directory: URL, _ world: WorldState) throws {
    guard plants else {
      let text = """
        # No planted problems (seed \(seed), \(decisions) decisions, \(weeks) weeks from \(Self.start))

        This set was generated with `--no-plants`: the same organisation without the problems a
        planted set carries. A good rule set flags nothing here.

        """
      try text.write(to: directory.appendingPathComponent("ANSWERS.md"), atomically: true, encoding: .utf8)
      return
    }
    let week = driftWeekLabel
    let understaffed = world.queueByID[SyntheticWorld.understaffedQueue]!
    let staff = world.activeModerators.filter { $0.queue == understaffed.queue }.count
    let lowSession =
      "cal-\(SyntheticWorld.lowAgreementMarket.lowercased())-w\(min(SyntheticWorld.lowAgreementWeek, weeks))"
    let auditor = "qa-\(SyntheticWorld.driftingAuditorSite.lowercased())-0"
    let (before, after) = (SyntheticWorld.modelVersions[0], SyntheticWorld.modelVersions[1])
    let text = """
      # Planted problems (seed \(seed), \(decisions) decisions, \(weeks) weeks from \(Self.start), \
      \(moderatorsPerSite) moderators per site)

      A good report on this data set finds each of these. (`caliper generate --no-plants` writes the \
      same organisation without them.) Scorecards see 1 to 4 (`caliper scorecard`: site_weekly's \
      control chart, vendor_alignment's QA gap, moderator_quality's label weakness, ai_assist's recall \
      gaps); alignment rules look for 2 and 5 to 10 (`caliper align`); curricula assign training for 3, 9 \
      and 11 and measure 12 (`caliper curriculum --effect`). Each detector has a sample-size floor: \
      in a small data set a plant can stay under it.

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
      (about \(staff * WorldState.dailyCapacity) a day at \(WorldState.dailyCapacity) each); it also has \
      backlog incidents.
      6. **Low-agreement calibration session**: in session `\(lowSession)` the vendor and internal \
      raters label at random about 70% of the time: agreement is far below every other session.
      7. **Auditor drift**: vendor QA auditor `\(auditor)` (\(SyntheticWorld.driftingAuditorSite)) agrees \
      with internal QA on about 98% of shared audits in the first week and about a third in the last \
      (up to \(SyntheticWorld.driftingAuditorWeeklyAudits) audits a week; its false errors also pull the \
      site's QA accuracy down).
      8. **Self-reported accuracy above measured**: vendor `\(SyntheticWorld.overReportingVendor)` reports \
      a monthly QA accuracy \(fixed(SyntheticWorld.overReportedBy * 100, decimals: 1)) points above what \
      internal QA measures (`vendor_reports.csv`); the other vendors report what we measure.
      9. **Policy rolled out untrained**: `\(SyntheticWorld.changedLabel)` moves to policy \
      `\(SyntheticWorld.changedVersion)` on \(policyChangeDate); only about 25% of active moderators finish \
      its module `\(SyntheticWorld.changeModule)` before then.
      10. **Model regression on one technique**: red-team model `\(after)` catches about 30% of \
      `\(SyntheticWorld.regressedTechnique)` cases against about 80% for `\(before)` (other techniques unchanged).
      11. **Over-reliance on AI**: \(world.overreliantModerators.sorted().map { "`\($0)`" }.joined(separator: ", ")) \
      at `\(SyntheticWorld.overreliantSite)` take the AI's suggestion on 95% of assisted decisions, wrong ones \
      included (curricula: the AI module).
      12. **Training that worked, and training that did not**: the moderators of \
      \(SyntheticWorld.trainingPlants.map { "\($0.sites.map { "`\($0)`" }.joined(separator: ", ")) are weak on `\($0.label)` (about \(Int($0.accuracyBefore * 100))%) until they complete `\($0.module)` mid-period, \($0.works ? "then as good as their site" : "and no better after")" }.joined(separator: "; ")). \
      The other sites of those markets are the comparison groups (`caliper curriculum --effect`).

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
